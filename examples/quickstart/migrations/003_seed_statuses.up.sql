-- Reference data; the string with a ';' inside shows the splitter keeps it whole.
CREATE TABLE order_statuses (
    code        VARCHAR(20) PRIMARY KEY,
    label       VARCHAR(100) NOT NULL
);

INSERT INTO order_statuses (code, label) VALUES ('new', 'New; not yet paid');
INSERT INTO order_statuses (code, label) VALUES ('paid', 'Paid');
INSERT INTO order_statuses (code, label) VALUES ('shipped', 'Shipped');
