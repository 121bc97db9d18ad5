-- expect: none
DELIMITER //
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW
BEGIN
  SET NEW.status = IF(NEW.status = '', 'active', NEW.status);
  UPDATE purchases SET note = 'x';
END //
DELIMITER ;
