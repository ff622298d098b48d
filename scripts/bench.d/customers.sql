-- 100,000 customers (:count) for the customer search benchmark, in one statement.
-- Names are built from a stem, a trade and a legal form (about 80 × 30 × 12 names, each
-- used several times, like real lists of companies), some with accented letters;
-- external ids are ERP numbers, missing on one customer in ten; emails are a mailbox at
-- the company's domain or at a mail provider, missing on one in twenty.
SELECT setseed(0.42);

WITH words AS (
    SELECT
        ARRAY['Nordwind', 'Kowalski', 'Müller', 'Brightline', 'Acme', 'Vandelay', 'Wayne',
              'Hooli', 'Initech', 'Umbrella', 'Stark', 'Wonka', 'Globex', 'Soylent',
              'Zielony', 'Łukasiewicz', 'Gdańsk', 'Poznański', 'Bauer', 'Schäfer', 'Fischer',
              'Weber', 'Becker', 'Hoffmann', 'Kramer', 'Lindqvist', 'Andersen', 'Nowak',
              'Wiśniewski', 'Dąbrowski', 'Lewandowski', 'Kamiński', 'Zając', 'Baltic',
              'Carpathia', 'Danube', 'Rhein', 'Elbe', 'Vistula', 'Oder', 'Alpine', 'Atlas',
              'Boreal', 'Cobalt', 'Delta', 'Equinox', 'Falcon', 'Granite', 'Harbor', 'Iris',
              'Juniper', 'Kestrel', 'Lumen', 'Meridian', 'Nimbus', 'Orion', 'Pioneer',
              'Quartz', 'Redwood', 'Summit', 'Titan', 'Unity', 'Vertex', 'Willow', 'Xenon',
              'Yukon', 'Zenith', 'Oakridge', 'Silverline', 'Bluestone', 'Copperfield',
              'Ironbridge', 'Northgate', 'Southport', 'Eastwick', 'Westfield', 'Highland',
              'Lowland', 'Riverside', 'Lakeside'] AS stems,
        ARRAY['Elektro', 'Electrical', 'Kable', 'Cables', 'Installations', 'Instalacje',
              'Energie', 'Power', 'Lighting', 'Oświetlenie', 'Automation', 'Systems',
              'Technik', 'Solar', 'Handel', 'Trading', 'Wholesale', 'Hurtownia', 'Bau',
              'Construction', 'Services', 'Serwis', 'Engineering', 'Montage', 'Industrie',
              'Networks', 'Elektrotechnik', 'Supply', 'Group', 'Partners'] AS trades,
        ARRAY['GmbH', 'Sp. z o.o.', 'Ltd', 'S.A.', 'AG', 'KG', 'Inc.', 'B.V.', 'AB', 's.r.o.',
              'Oy', 'LLC'] AS forms,
        ARRAY['orders', 'purchasing', 'info', 'biuro', 'zakupy', 'einkauf', 'office',
              'anna.nowak', 'jan.kowalski', 'peter.weber', 'maria.fischer', 'buyer'] AS boxes,
        ARRAY['gmail.com', 'outlook.com', 'wp.pl', 'gmx.de', 'onet.pl', 't-online.de'] AS mails
),
picked AS (
    SELECT i,
           stems[1 + floor(random() * array_length(stems, 1))::int] AS stem,
           trades[1 + floor(random() * array_length(trades, 1))::int] AS trade,
           forms[1 + floor(random() * array_length(forms, 1))::int] AS form,
           boxes[1 + floor(random() * array_length(boxes, 1))::int] AS box,
           mails[1 + floor(random() * array_length(mails, 1))::int] AS mail,
           random() AS r
    FROM words, generate_series(1, :count) AS i
)
INSERT INTO customers (id, name, external_id, currency, email, created_at, updated_at)
SELECT gen_random_uuid(),
       stem || ' ' || trade || ' ' || form
           || CASE WHEN r < 0.3 THEN ' ' || (1 + i % 97)::text ELSE '' END,
       CASE WHEN r < 0.9 THEN 'ERP-' || lpad(i::text, 6, '0') END,
       CASE WHEN r < 0.7 THEN 'EUR' ELSE 'PLN' END,
       CASE
           WHEN r >= 0.95 THEN NULL
           WHEN r < 0.6 THEN box || '@' || lower(translate(stem, 'ąćęłńóśźżäöüÄÖÜŁ', 'acelnoszzaouaoul'))
                || '-' || lower(trade) || '.example'
           ELSE box || (i % 1000)::text || '@' || mail
       END,
       now() - (i % 1000) * interval '1 day',
       now()
FROM picked;

VACUUM ANALYZE customers;
