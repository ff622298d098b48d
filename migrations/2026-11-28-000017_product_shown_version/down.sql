DROP TRIGGER products_shown_version ON products;
DROP FUNCTION orderpath_product_shown_version();
ALTER TABLE products DROP COLUMN shown_version;
