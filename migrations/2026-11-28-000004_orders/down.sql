DROP TABLE shipment_lines;
DROP TABLE shipments;
DROP TABLE order_lines;
DROP TABLE orders;
DROP SEQUENCE order_number_seq;
ALTER TABLE products DROP COLUMN reserved;
