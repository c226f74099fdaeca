-- Each report's rule statuses in one short line ("rule=status ..."), so a cluster page of thousands of nodes reads
-- a few hundred bytes per node instead of every finding with its evidence.
ALTER TABLE report ADD COLUMN statuses text;
