-- Each product's queue of waiting lines, found without reading the other products' queues:
-- a shipment line carries its product while its shipment waits for stock, and NULL once
-- the shipment is ready (or shipped).
ALTER TABLE shipment_lines ADD COLUMN waiting_product_id UUID;

UPDATE shipment_lines sl
SET waiting_product_id = ol.product_id
FROM shipments s, order_lines ol
WHERE s.id = sl.shipment_id
  AND s.status = 'WAITING_FOR_STOCK'
  AND ol.id = sl.order_line_id;

CREATE INDEX shipment_lines_waiting_product_idx ON shipment_lines (waiting_product_id)
    WHERE waiting_product_id IS NOT NULL;
