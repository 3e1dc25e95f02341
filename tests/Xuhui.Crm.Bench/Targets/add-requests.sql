-- Adds 20,000 synthetic firm requests to a COPY of a benchmark database (the generators make none). Never run it on the cache.
-- 20,000 synthetic firm requests over a year (the generator makes none): ~85 % closed, a tenth of those "cannot resolve".
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000),
r AS MATERIALIZED (SELECT i, abs(random()) % 365 AS age, abs(random()) % 100 AS p, abs(random()) % 60 AS took FROM n)
INSERT INTO "Requests" ("Version","FirmId","Channel","Category","Description","Department","OwnerId","RaisedOn","Deadline","Status","Resolution","ClosedOn","Satisfaction","CreatedById","CreatedAt","UpdatedAt")
SELECT 1, 1 + abs(random()) % 50000, 'Visit',
  CASE i % 7 WHEN 0 THEN 'space' WHEN 1 THEN 'talent' WHEN 2 THEN 'finance' WHEN 3 THEN 'policy' WHEN 4 THEN 'ip' WHEN 5 THEN 'permits' ELSE 'other' END,
  '示例诉求',
  CASE WHEN i % 11 = 0 THEN NULL ELSE CASE i % 10 WHEN 0 THEN 'stc' WHEN 1 THEN 'hrss' WHEN 2 THEN 'market' WHEN 3 THEN 'planning' WHEN 4 THEN 'development' WHEN 5 THEN 'finance-office' WHEN 6 THEN 'ip-office' WHEN 7 THEN 'commerce' WHEN 8 THEN 'street' ELSE 'other' END END,
  1 + abs(random()) % 200,
  date('2026-11-20', '-' || age || ' day'), date('2026-11-20', '-' || age || ' day', '+21 day'),
  CASE WHEN p >= 85 OR took > age THEN 'Open' WHEN p < 8 THEN 'CannotResolve' ELSE 'Resolved' END,
  CASE WHEN p >= 85 OR took > age THEN NULL ELSE '已办结' END,
  CASE WHEN p >= 85 OR took > age THEN NULL ELSE date('2026-11-20', '-' || age || ' day', '+' || took || ' day') END,
  CASE WHEN p >= 85 OR took > age THEN NULL WHEN p % 4 = 0 THEN NULL WHEN p % 4 = 1 THEN 'Satisfied' WHEN p % 4 = 2 THEN 'Basically' ELSE 'Dissatisfied' END,
  1, '2026-01-01 00:00:00', '2026-01-01 00:00:00'
FROM r;
