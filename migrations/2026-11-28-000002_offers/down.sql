DROP TABLE offer_views;
DROP TABLE offer_lines;
DROP TABLE offers;
DROP SEQUENCE offer_change_seq;
DROP SEQUENCE offer_number_seq;
