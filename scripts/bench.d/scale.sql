-- The merchant of the scale benchmark (docs/benchmarks.md, Scale), written straight into a
-- migrated database after `customers.sql`, in a few statements per table. Every row is one
-- the service itself would have written: offers copied line for line from their carts,
-- orders from accepted offers with their lines and a shipped shipment, orders waiting for
-- stock with their lines in their products' queues, an event for every cart opened and
-- order placed (and customers' and offers' activity besides), a delivery of every event to
-- the endpoint of its type with its attempts. Ids are derived from a row's number
-- (md5(kind || n)), so a row's neighbours are found without joins.
--
-- Variables (psql -v): products, cables, drums, carts, offers_per_cart, waiting_orders,
-- waiting_products, open_carts, events, backlog, days, user_id (the principal that acted),
-- live (the endpoint id per type as 'TYPE=uuid,…'), dead (the endpoint whose receiver is
-- down and holds the backlog).
\set ON_ERROR_STOP 1
-- Rows are consistent by construction; checking each reference row by row would only
-- make the load slower, and the fan-out trigger must not add deliveries of its own.
SET session_replication_role = replica;
SET synchronous_commit = off;
SET maintenance_work_mem = '512MB';
SELECT setseed(0.42);
-- Feed positions are spread over transaction ids that have all finished: below this one.
SELECT pg_current_xact_id()::text::bigint - 100 AS top_txid \gset

-- Indexes are built once the rows are in (several times faster than row by row): those
-- that back no constraint are dropped here and made again at the end, as the migrations
-- defined them.
SET work_mem = '256MB';
CREATE TEMP TABLE deferred_indexes AS
SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
WHERE t.relname IN ('products', 'drum_options', 'carts', 'cart_lines', 'offers', 'offer_lines',
                    'orders', 'order_lines', 'shipments', 'shipment_lines', 'domain_events',
                    'webhook_deliveries', 'webhook_attempts')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid);
DO $$
DECLARE index_name TEXT;
BEGIN
    FOR index_name IN SELECT name FROM deferred_indexes LOOP
        EXECUTE 'DROP INDEX ' || index_name;
    END LOOP;
END $$;

-- Customers with carts: the EUR ones (the products' currency), numbered.
CREATE TEMP TABLE buyers AS
SELECT row_number() OVER (ORDER BY id) AS pos, id FROM customers WHERE currency = 'EUR';
CREATE UNIQUE INDEX ON buyers (pos);
ANALYZE buyers;

-- Products: drums first, then cables, then standard products; the last `waiting_products`
-- standard ones are out of stock and have lines waiting for them.
INSERT INTO products (id, sku, name, kind, unit, quantity_type, net_price, purchase_price,
                      vat_rate, currency, stock, reserved, active, created_at, updated_at)
SELECT md5('p' || i)::uuid,
       CASE WHEN i <= :drums THEN 'DRUM-' WHEN i <= :drums + :cables THEN 'CAB-' ELSE 'SKU-' END
           || lpad(i::text, 6, '0'),
       CASE WHEN i <= :drums THEN 'Drum ' || i
            WHEN i <= :drums + :cables THEN 'Cable YKY ' || (1 + i % 5) || 'x' || (1 + i % 7) * 1.5
            ELSE 'Article ' || i END,
       CASE WHEN i <= :drums THEN 'DRUM' WHEN i <= :drums + :cables THEN 'CABLE' ELSE 'STANDARD' END,
       CASE WHEN i <= :drums THEN 'pcs' WHEN i <= :drums + :cables THEN 'm' ELSE 'pcs' END,
       CASE WHEN i > :drums AND i <= :drums + :cables THEN 'CONTENT_QUANTITY' ELSE 'UNIT' END,
       round((2 + (i % 997) * 1.37)::numeric, 2),
       round((1 + (i % 997) * 0.83)::numeric, 2),
       23,
       'EUR',
       CASE WHEN i > :products - :waiting_products THEN 0 ELSE 1000000 END,
       0, TRUE,
       now() - interval '500 days', now() - interval '400 days'
FROM generate_series(1, :products) AS i;

INSERT INTO drum_options (cable_product_id, drum_product_id, max_length)
SELECT md5('p' || c)::uuid, md5('p' || (1 + (c + d) % :drums))::uuid, 500 * (d + 1)
FROM generate_series(:drums + 1, :drums + :cables) AS c, generate_series(0, 1) AS d;

-- The sizes, for the functions below (psql does not fill in variables inside them).
SET scale.drums = :drums;
SET scale.cables = :cables;
SET scale.products = :products;
SET scale.waiting_products = :waiting_products;
CREATE FUNCTION pg_temp.size(name TEXT) RETURNS BIGINT LANGUAGE sql STABLE AS $$
    SELECT current_setting('scale.' || name)::bigint
$$;

-- What line k (1..12) of cart n holds: ten standard products, then a cable cut (11) on
-- its drum (12). Standard products never out of stock here.
CREATE FUNCTION pg_temp.line_product(n BIGINT, k INT) RETURNS BIGINT LANGUAGE sql STABLE AS $$
    SELECT CASE k
        WHEN 11 THEN pg_temp.size('drums') + 1 + (n * 7) % pg_temp.size('cables')
        WHEN 12 THEN 1 + (pg_temp.size('drums') + 1 + (n * 7) % pg_temp.size('cables') + n % 2)
                         % pg_temp.size('drums')
        ELSE pg_temp.size('drums') + pg_temp.size('cables') + 1 + (n * 131 + k * 977)
             % (pg_temp.size('products') - pg_temp.size('drums') - pg_temp.size('cables')
                - pg_temp.size('waiting_products'))
    END
$$;

-- Carts offers were made from: opened over the last `days` days, 12 lines each.
INSERT INTO carts (id, customer_id, status, currency, source, version, created_at, updated_at)
SELECT md5('c' || n)::uuid, b.id, 'OPEN', 'EUR',
       CASE WHEN n % 3 = 0 THEN 'OFE' ELSE 'BACKOFFICE' END,
       13,
       now() - (:days * (1 - n::float / :carts) + 5) * interval '1 day',
       now() - (:days * (1 - n::float / :carts) + 5) * interval '1 day' + interval '20 minutes'
FROM generate_series(1, :carts) AS n
JOIN buyers b ON b.pos = 1 + n % (SELECT count(*) FROM buyers);

INSERT INTO cart_lines (id, cart_id, product_id, parent_line_id, quantity_type, quantity,
                        allow_quantity_change, allow_quantity_splitting, removable,
                        position, created_at)
SELECT md5('cl' || n || '-' || k)::uuid, md5('c' || n)::uuid, p.id,
       CASE WHEN k = 12 THEN md5('cl' || n || '-11')::uuid END,
       p.quantity_type,
       CASE k WHEN 11 THEN 50 + (n % 400) WHEN 12 THEN 1 ELSE 1 + (n + k) % 20 END,
       k <> 12, k <> 12, k <> 12,
       k, c.created_at + k * interval '1 minute'
FROM generate_series(1, :carts) AS n
CROSS JOIN generate_series(1, 12) AS k
JOIN products p ON p.id = md5('p' || pg_temp.line_product(n, k))::uuid
JOIN carts c ON c.id = md5('c' || n)::uuid;

-- Offers: `offers_per_cart` per cart (versions of the quote), half an hour apart. Every
-- second one was accepted and ordered; the others are drafts, sent (valid for a month
-- more), rejected or expired. Their place in the ERP feed follows their number (their last
-- change), spread over transactions that finished long ago.
INSERT INTO offers (id, number, cart_id, customer_id, status, currency, valid_until, version,
                    created_at, updated_at, change_txid, change_seq)
SELECT md5('o' || m)::uuid, 'OF-' || lpad(m::text, 7, '0'), c.id, c.customer_id,
       s.status, 'EUR',
       CASE s.status WHEN 'SENT' THEN now() + interval '30 days'
                     WHEN 'EXPIRED' THEN c.created_at + interval '4 days' END,
       CASE s.status WHEN 'DRAFT' THEN 1 WHEN 'SENT' THEN 2 WHEN 'ORDERED' THEN 4 ELSE 3 END,
       c.created_at + ((m - 1) % :offers_per_cart) * interval '30 minutes',
       c.created_at + ((m - 1) % :offers_per_cart) * interval '30 minutes' + interval '1 hour',
       1 + m::bigint * :top_txid / (:carts * :offers_per_cart + 1), m
FROM generate_series(1, :carts * :offers_per_cart) AS m
JOIN carts c ON c.id = md5('c' || (1 + (m - 1) / :offers_per_cart))::uuid
CROSS JOIN LATERAL (SELECT CASE WHEN m % 2 = 0 THEN 'ORDERED'
                                WHEN m % 10 IN (1, 3) THEN 'DRAFT'
                                WHEN m % 10 = 5 THEN 'SENT'
                                WHEN m % 10 = 7 THEN 'REJECTED'
                                ELSE 'EXPIRED' END AS status) s;

-- Offer lines: the cart's lines with the product's name and prices of the time.
INSERT INTO offer_lines (id, offer_id, product_id, parent_line_id, sku, name, unit,
                         quantity_type, quantity, allow_quantity_change,
                         allow_quantity_splitting, removable, unit_price, catalog_unit_price,
                         unit_price_overridden, purchase_price, catalog_purchase_price,
                         purchase_price_overridden, vat_rate, position)
SELECT md5('ol' || m || '-' || cl.position)::uuid, md5('o' || m)::uuid, p.id,
       CASE WHEN cl.position = 12 THEN md5('ol' || m || '-11')::uuid END,
       p.sku, p.name, p.unit, cl.quantity_type, cl.quantity, cl.allow_quantity_change,
       cl.allow_quantity_splitting, cl.removable, p.net_price, p.net_price, FALSE,
       p.purchase_price, p.purchase_price, FALSE, p.vat_rate, cl.position
FROM generate_series(1, :carts * :offers_per_cart) AS m
JOIN cart_lines cl ON cl.cart_id = md5('c' || (1 + (m - 1) / :offers_per_cart))::uuid
JOIN products p ON p.id = cl.product_id;

-- Orders from the accepted offers (every second one), shipped in one shipment.
INSERT INTO orders (id, number, seq, cart_id, offer_id, customer_id, currency, version,
                    created_at, updated_at)
SELECT md5('or' || m)::uuid, 'OR-' || lpad((m / 2)::text, 7, '0'), m / 2, NULL, o.id,
       o.customer_id, 'EUR', 2, o.updated_at + interval '1 day', o.updated_at + interval '3 days'
FROM generate_series(2, :carts * :offers_per_cart, 2) AS m
JOIN offers o ON o.id = md5('o' || m)::uuid;

INSERT INTO order_lines (id, order_id, product_id, parent_line_id, sku, name, unit,
                         quantity_type, quantity, allow_quantity_change,
                         allow_quantity_splitting, removable, unit_price, catalog_unit_price,
                         unit_price_overridden, purchase_price, catalog_purchase_price,
                         purchase_price_overridden, vat_rate, position)
SELECT md5('orl' || m || '-' || ol.position)::uuid, md5('or' || m)::uuid, ol.product_id,
       CASE WHEN ol.position = 12 THEN md5('orl' || m || '-11')::uuid END,
       ol.sku, ol.name, ol.unit, ol.quantity_type, ol.quantity, ol.allow_quantity_change,
       ol.allow_quantity_splitting, ol.removable, ol.unit_price, ol.catalog_unit_price,
       ol.unit_price_overridden, ol.purchase_price, ol.catalog_purchase_price,
       ol.purchase_price_overridden, ol.vat_rate, ol.position
FROM generate_series(2, :carts * :offers_per_cart, 2) AS m
JOIN offer_lines ol ON ol.offer_id = md5('o' || m)::uuid;

INSERT INTO shipments (id, order_id, status, position, created_at, updated_at)
SELECT md5('sh' || o.seq * 2)::uuid, o.id, 'SHIPPED', 1, o.created_at, o.updated_at
FROM orders o WHERE o.offer_id IS NOT NULL;

INSERT INTO shipment_lines (shipment_id, order_line_id, quantity, waiting_product_id)
SELECT md5('sh' || o.seq * 2)::uuid, ol.id, ol.quantity, NULL
FROM orders o JOIN order_lines ol ON ol.order_id = o.id
WHERE o.offer_id IS NOT NULL;

-- Orders waiting for stock, placed from carts in the last days: five lines each, every one
-- on an out-of-stock product (its queue), none of which may be split.
CREATE FUNCTION pg_temp.waiting_product(w BIGINT, k INT) RETURNS BIGINT LANGUAGE sql STABLE AS $$
    SELECT pg_temp.size('products') - pg_temp.size('waiting_products') + 1
           + (w * 5 + k) % pg_temp.size('waiting_products')
$$;

INSERT INTO carts (id, customer_id, status, currency, source, version, created_at, updated_at)
SELECT md5('wc' || w)::uuid, b.id, 'ORDERED', 'EUR', 'BACKOFFICE', 7,
       now() - (3 * (1 - w::float / :waiting_orders) + 0.1) * interval '1 day',
       now() - (3 * (1 - w::float / :waiting_orders) + 0.1) * interval '1 day' + interval '5 minutes'
FROM generate_series(1, :waiting_orders) AS w
JOIN buyers b ON b.pos = 1 + (w * 17) % (SELECT count(*) FROM buyers);

INSERT INTO cart_lines (id, cart_id, product_id, parent_line_id, quantity_type, quantity,
                        allow_quantity_change, allow_quantity_splitting, removable,
                        position, created_at)
SELECT md5('wcl' || w || '-' || k)::uuid, md5('wc' || w)::uuid,
       md5('p' || pg_temp.waiting_product(w, k))::uuid, NULL, 'UNIT', 5 + (w + k) % 10,
       TRUE, FALSE, TRUE, k, c.created_at + k * interval '10 seconds'
FROM generate_series(1, :waiting_orders) AS w
CROSS JOIN generate_series(1, 5) AS k
JOIN carts c ON c.id = md5('wc' || w)::uuid;

INSERT INTO orders (id, number, seq, cart_id, offer_id, customer_id, currency, version,
                    created_at, updated_at)
SELECT md5('wo' || w)::uuid, 'OR-' || lpad((:carts * :offers_per_cart / 2 + w)::text, 7, '0'),
       :carts * :offers_per_cart / 2 + w, c.id, NULL, c.customer_id, 'EUR', 1,
       c.updated_at, c.updated_at
FROM generate_series(1, :waiting_orders) AS w
JOIN carts c ON c.id = md5('wc' || w)::uuid;

INSERT INTO order_lines (id, order_id, product_id, parent_line_id, sku, name, unit,
                         quantity_type, quantity, allow_quantity_change,
                         allow_quantity_splitting, removable, unit_price, catalog_unit_price,
                         unit_price_overridden, purchase_price, catalog_purchase_price,
                         purchase_price_overridden, vat_rate, position)
SELECT md5('wol' || w || '-' || cl.position)::uuid, md5('wo' || w)::uuid, p.id, NULL,
       p.sku, p.name, p.unit, cl.quantity_type, cl.quantity, cl.allow_quantity_change,
       cl.allow_quantity_splitting, cl.removable, p.net_price, p.net_price, FALSE,
       p.purchase_price, p.purchase_price, FALSE, p.vat_rate, cl.position
FROM generate_series(1, :waiting_orders) AS w
JOIN cart_lines cl ON cl.cart_id = md5('wc' || w)::uuid
JOIN products p ON p.id = cl.product_id;

INSERT INTO shipments (id, order_id, status, position, created_at, updated_at)
SELECT md5('ws' || w)::uuid, o.id, 'WAITING_FOR_STOCK', 1, o.created_at, o.created_at
FROM generate_series(1, :waiting_orders) AS w
JOIN orders o ON o.id = md5('wo' || w)::uuid;

INSERT INTO shipment_lines (shipment_id, order_line_id, quantity, waiting_product_id)
SELECT md5('ws' || w)::uuid, ol.id, ol.quantity, ol.product_id
FROM generate_series(1, :waiting_orders) AS w
JOIN order_lines ol ON ol.order_id = md5('wo' || w)::uuid;

-- Open carts the benchmark works on: a product in stock and one with a queue, among the
-- same 100 queued products at every size (so orders contend alike).
INSERT INTO carts (id, customer_id, status, currency, source, version, created_at, updated_at)
SELECT md5('oc' || o)::uuid, b.id, 'OPEN', 'EUR', 'BACKOFFICE', 3,
       now() - interval '1 hour', now() - interval '1 hour'
FROM generate_series(1, :open_carts) AS o
JOIN buyers b ON b.pos = 1 + (o * 29) % (SELECT count(*) FROM buyers);

INSERT INTO cart_lines (id, cart_id, product_id, parent_line_id, quantity_type, quantity,
                        allow_quantity_change, allow_quantity_splitting, removable,
                        position, created_at)
SELECT md5('ocl' || o || '-' || k)::uuid, md5('oc' || o)::uuid,
       md5('p' || CASE k WHEN 1 THEN pg_temp.line_product(o, 1)
                         ELSE :products - :waiting_products + 1 + o % 100 END)::uuid,
       NULL, 'UNIT', 2, TRUE, FALSE, TRUE, k, now() - interval '1 hour'
FROM generate_series(1, :open_carts) AS o
CROSS JOIN generate_series(1, 2) AS k;

-- Events, oldest first: a CART_OPENED per cart, an ORDER_PLACED per order, and customers'
-- sign-ins (CLIENT_LOGGED) and offers opened in the backoffice (OFFER_OPENED) spread over
-- the `days` days up to the total, more of them lately (a growing business: age grows
-- with the cube of the distance from now). The feed position follows time, spread over
-- transactions that finished long ago.
CREATE TEMP TABLE event_rows AS
SELECT 'CART_OPENED' AS event_type, c.created_at AS occurred_at,
       jsonb_build_object('customerId', c.customer_id, 'cartId', c.id,
                          'source', c.source, 'userId', :'user_id') AS data
FROM carts c
UNION ALL
SELECT 'ORDER_PLACED', o.created_at,
       CASE WHEN o.offer_id IS NULL
            THEN jsonb_build_object('customerId', o.customer_id, 'orderId', o.id, 'cartId', o.cart_id)
            ELSE jsonb_build_object('customerId', o.customer_id, 'orderId', o.id, 'offerId', o.offer_id)
       END
FROM orders o;

INSERT INTO event_rows
SELECT CASE WHEN f % 2 = 0 THEN 'CLIENT_LOGGED' ELSE 'OFFER_OPENED' END,
       now() - :days * power(1 - f::float / fill.n, 3) * interval '1 day' - interval '1 minute',
       CASE WHEN f % 2 = 0
            THEN jsonb_build_object('customerId', b.id, 'source', 'OFE', 'userId', :'user_id')
            ELSE jsonb_build_object('customerId', o.customer_id, 'offerId', o.id,
                                    'userId', :'user_id') END
FROM (SELECT greatest(:events - count(*), 0) AS n FROM event_rows) fill
CROSS JOIN LATERAL generate_series(1, fill.n) AS f
JOIN buyers b ON b.pos = 1 + (f * 7919) % (SELECT count(*) FROM buyers)
JOIN offers o ON o.id = md5('o' || (1 + (f * 104729) % (:carts * :offers_per_cart)))::uuid;

INSERT INTO domain_events (id, event_type, occurred_at, data, txid, seq)
SELECT gen_random_uuid(), event_type, occurred_at, data,
       1 + n * :top_txid / (count(*) OVER () + 1), n
FROM (SELECT *, row_number() OVER (ORDER BY occurred_at) AS n FROM event_rows) e;
DROP TABLE event_rows;

-- A delivery of every event to the endpoint of its type, delivered at the first attempt,
-- one in a thousand failed for good after every attempt. The receiver of `dead` (the
-- endpoint of its type) went down lately: its newest `backlog` deliveries wait for their
-- next attempt.
CREATE TEMP TABLE endpoints AS
SELECT split_part(e, '=', 1) AS event_type, split_part(e, '=', 2)::uuid AS id
FROM unnest(string_to_array(:'live', ',')) AS e;

CREATE TEMP TABLE backlog AS
SELECT e.id FROM domain_events e
WHERE e.event_type = (SELECT event_type FROM webhooks WHERE id = :'dead')
ORDER BY e.seq DESC LIMIT :backlog;
CREATE UNIQUE INDEX ON backlog (id);
ANALYZE backlog;

INSERT INTO webhook_deliveries (id, seq, webhook_id, event_id, event_type, status, attempts,
                                next_attempt_at, lease_until, created_at, updated_at)
SELECT gen_random_uuid(), e.seq,
       w.id,
       e.id,
       e.event_type,
       CASE WHEN b.id IS NOT NULL THEN 'PENDING' WHEN e.seq % 1000 = 0 THEN 'FAILED'
            ELSE 'SUCCEEDED' END,
       CASE WHEN b.id IS NOT NULL THEN 2 WHEN e.seq % 1000 = 0 THEN 13 ELSE 1 END,
       CASE WHEN b.id IS NOT NULL THEN now() + interval '1 hour' + (e.seq % 3600) * interval '1 second'
            ELSE e.occurred_at END,
       NULL, e.occurred_at,
       CASE WHEN b.id IS NOT NULL THEN now() - interval '10 minutes'
            ELSE e.occurred_at + interval '1 second' END
FROM domain_events e
JOIN endpoints w ON w.event_type = e.event_type
LEFT JOIN backlog b ON b.id = e.id;

-- One attempt per try: a 204 for a delivered one, the refused connection otherwise.
INSERT INTO webhook_attempts (delivery_id, attempted_at, succeeded, status_code, duration_ms,
                              response_body, error, worker)
SELECT d.id, d.created_at + (a - 1) * interval '5 minutes' + interval '20 milliseconds',
       d.status = 'SUCCEEDED', CASE WHEN d.status = 'SUCCEEDED' THEN 204 END,
       3 + d.seq % 40, NULL,
       CASE WHEN d.status <> 'SUCCEEDED' THEN 'connection refused' END, 'bench:1'
FROM webhook_deliveries d
CROSS JOIN LATERAL generate_series(1, d.attempts) AS a;

UPDATE webhooks
SET failing_since = (SELECT min(e.occurred_at) FROM backlog b JOIN domain_events e USING (id))
WHERE id = :'dead';

DO $$
DECLARE index_definition TEXT;
BEGIN
    FOR index_definition IN SELECT definition FROM deferred_indexes LOOP
        EXECUTE index_definition;
    END LOOP;
END $$;

-- The counters the service draws numbers from continue after the loaded rows.
SELECT setval('offer_number_seq', :carts * :offers_per_cart),
       setval('offer_change_seq', :carts * :offers_per_cart),
       setval('order_number_seq', (SELECT max(seq) FROM orders)),
       setval('orders_seq_seq', (SELECT max(seq) FROM orders)),
       setval('domain_events_seq_seq', (SELECT max(seq) FROM domain_events)),
       setval('webhook_deliveries_seq_seq', (SELECT max(seq) FROM webhook_deliveries)),
       setval('webhook_attempts_id_seq', (SELECT max(id) FROM webhook_attempts));
