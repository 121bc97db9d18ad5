-- expect: transaction-control@2, transaction-control@4
BEGIN TRANSACTION;
INSERT INTO notes (body) VALUES ('a');
END TRANSACTION;
