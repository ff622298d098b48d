DROP INDEX shipment_lines_waiting_product_idx;
ALTER TABLE shipment_lines DROP COLUMN waiting_product_id;
