DROP TABLE price_edits;
