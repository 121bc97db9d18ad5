-- expect: unique-constraint-blocking@2
ALTER TABLE legacy_accounts ADD PRIMARY KEY (id);
