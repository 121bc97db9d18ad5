-- The catalogue, with a few products to sell.
CREATE TABLE products (
    id           INTEGER PRIMARY KEY,
    sku          VARCHAR(40) NOT NULL UNIQUE,
    name         VARCHAR(200) NOT NULL,
    price_cents  INTEGER NOT NULL CHECK (price_cents >= 0)
);

INSERT INTO products (id, sku, name, price_cents) VALUES (1, 'MUG-ENAMEL', 'Enamel camping mug', 1200);
INSERT INTO products (id, sku, name, price_cents) VALUES (2, 'TEE-LOGO', 'Logo T-shirt', 2500);
INSERT INTO products (id, sku, name, price_cents) VALUES (3, 'STICKERS', 'Sticker pack', 400);
INSERT INTO products (id, sku, name, price_cents) VALUES (4, 'HOODIE-ZIP', 'Zip hoodie', 5900);
