-- expect: detach-partition-blocking@2
ALTER TABLE events DETACH PARTITION events_2024;
