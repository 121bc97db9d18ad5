-- expect: unverified-statement@2
ALTER TABLE events SPLIT PARTITION events_2024 INTO (PARTITION events_2024a FOR VALUES FROM ('2024-01-01') TO ('2024-07-01'));
