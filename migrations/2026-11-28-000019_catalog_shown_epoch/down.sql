DROP TRIGGER products_catalog_shown ON products;
DROP FUNCTION orderpath_catalog_shown_changed();
DROP TABLE catalog_shown;
