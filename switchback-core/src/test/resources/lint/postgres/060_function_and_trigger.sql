-- expect: none
CREATE OR REPLACE FUNCTION touch_order() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW.placed_at := coalesce(NEW.placed_at, now());
  UPDATE customers SET status = 'active';
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER orders_touch BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION touch_order();
