DROP VIEW customer_totals;
