-- What a cart shows of a product, versioned: `shown_version` rises whenever one of the
-- product's columns a cart line shows changes (SKU, name, unit, sale and purchase price,
-- VAT rate), whoever writes it. A cart's rendering is current exactly while the cart's
-- version and the sum of its lines' `shown_version` are (docs/benchmarks.md, Cart and
-- order reads). Stock and reservations, which change with every order, leave it alone.
ALTER TABLE products ADD COLUMN shown_version BIGINT NOT NULL DEFAULT 1;

CREATE FUNCTION orderpath_product_shown_version() RETURNS TRIGGER
    LANGUAGE plpgsql AS $$
BEGIN
    NEW.shown_version := OLD.shown_version + 1;
    RETURN NEW;
END
$$;

CREATE TRIGGER products_shown_version
    BEFORE UPDATE ON products
    FOR EACH ROW
    WHEN ((OLD.sku, OLD.name, OLD.unit, OLD.net_price, OLD.purchase_price, OLD.vat_rate)
          IS DISTINCT FROM
          (NEW.sku, NEW.name, NEW.unit, NEW.net_price, NEW.purchase_price, NEW.vat_rate))
    EXECUTE FUNCTION orderpath_product_shown_version();
