import { describe, expect, it } from 'vitest';
import { MAX_SUMMARY_LENGTH, summarizeQuery } from '../src/index.js';

const cases: [string, string, string][] = [
  ["SELECT * FROM users WHERE email = 'bob@example.com' AND id = 42", 'SELECT', 'SELECT users'],
  [
    'insert into orders (product_id, quantity, total_cents) values ($1, $2, $3) returning id',
    'INSERT',
    'INSERT orders',
  ],
  ["UPDATE users SET name = 'Eve' WHERE id = $1", 'UPDATE', 'UPDATE users'],
  ['DELETE FROM sessions WHERE expires_at < now()', 'DELETE', 'DELETE sessions'],
  [
    "WITH recent AS (SELECT * FROM orders WHERE created_at > now() - interval '1 day') SELECT u.name, count(*) FROM users u JOIN recent r ON r.user_id = u.id GROUP BY u.name",
    'SELECT',
    'SELECT orders SELECT users',
  ],
  [
    'WITH RECURSIVE tree(id, parent) AS (SELECT id, parent FROM nodes WHERE id = 7 UNION ALL SELECT n.id, n.parent FROM nodes n JOIN tree t ON n.parent = t.id) DELETE FROM nodes WHERE id IN (SELECT id FROM tree)',
    'DELETE',
    'SELECT nodes SELECT nodes DELETE nodes SELECT',
  ],
  [
    "/* app:checkout, user=42 */ SELECT \"Order Items\".id FROM public.\"Order Items\" -- note 'secret'\n WHERE x = E'it\\'s'",
    'SELECT',
    'SELECT public."Order Items"',
  ],
  [
    'BEGIN; UPDATE accounts SET balance = balance - 100 WHERE id = 1; UPDATE accounts SET balance = balance + 100 WHERE id = 2; COMMIT;',
    'BATCH',
    'BEGIN; UPDATE accounts; UPDATE accounts; COMMIT',
  ],
  ['select * from a, b as bb, c where a.id = b.id', 'SELECT', 'SELECT a b c'],
  ['SELECT * FROM generate_series(1, 10)', 'SELECT', 'SELECT'],
  [
    'INSERT INTO shipping_details (id) SELECT id FROM orders ON CONFLICT (id) DO UPDATE SET id = excluded.id',
    'INSERT',
    'INSERT shipping_details SELECT orders',
  ],
  ['SELECT * FROM jobs WHERE state = $1 FOR UPDATE SKIP LOCKED', 'SELECT', 'SELECT jobs'],
  [
    'create table if not exists products (id serial primary key, name text not null)',
    'CREATE',
    'CREATE TABLE products',
  ],
  ['DROP TABLE IF EXISTS app.items CASCADE', 'DROP', 'DROP TABLE app.items'],
  ["SELECT $tag$ DROP TABLE x $tag$, 'FROM y', $$ z $$", 'SELECT', 'SELECT'],
  ['TRUNCATE TABLE audit_log', 'TRUNCATE', 'TRUNCATE audit_log'],
  ['SELECT * FROM (SELECT id FROM orders) o', 'SELECT', 'SELECT orders'],
  ['EXPLAIN ANALYZE SELECT * FROM Users', 'EXPLAIN', 'EXPLAIN SELECT users'],
  [
    'MERGE INTO stock s USING deliveries d ON s.id = d.id WHEN MATCHED THEN UPDATE SET n = s.n + d.n',
    'MERGE',
    'MERGE stock deliveries UPDATE',
  ],
  ['  \n select 1', 'SELECT', 'SELECT'],
  ['hello world', '_OTHER', '_OTHER'],
  ['', '_OTHER', '_OTHER'],
  ['-- only a comment', '_OTHER', '_OTHER'],
];

describe('summarizeQuery', () => {
  it.each(cases)('%s', (sql, operation, summary) => {
    expect(summarizeQuery(sql)).toEqual({ operation, summary });
  });

  it('never reports a literal, parameter or comment', () => {
    const secrets = ['hunter2', 's3cr3t', '4111111111111111', 'alice@example.com', 'TOKEN_X'];
    const queries = [
      "SELECT * FROM users WHERE password = 'hunter2'",
      "SELECT * FROM users WHERE password = E'hunter2\\'s3cr3t'",
      'SELECT * FROM cards WHERE number = 4111111111111111',
      "INSERT INTO users (email) VALUES ('alice@example.com') RETURNING id",
      'SELECT $s$TOKEN_X$s$ FROM t',
      "/* TOKEN_X */ SELECT 1 -- s3cr3t\n FROM t WHERE a = 'hunter2'",
      "UPDATE t SET v = 'hunter2' FROM (VALUES ('s3cr3t')) AS x(v)",
      "SELECT * FROM t WHERE a = 'unterminated hunter2",
      "SELECT 1; SELECT 'alice@example.com'",
    ];
    for (const q of queries) {
      const s = summarizeQuery(q);
      for (const secret of secrets) {
        expect(s.summary, q).not.toContain(secret);
        expect(s.operation, q).not.toContain(secret);
      }
    }
  });

  it('keeps summaries short', () => {
    const many = Array.from({ length: 100 }, (_, i) => `table_${i}`).join(', ');
    const s = summarizeQuery(`SELECT * FROM ${many}`);
    expect(s.summary.length).toBeLessThanOrEqual(MAX_SUMMARY_LENGTH);
    expect(s.summary.startsWith('SELECT table_0 table_1')).toBe(true);
    expect(summarizeQuery(`SELECT * FROM "${'x'.repeat(500)}"`).summary).toBe(`SELECT "${'x'.repeat(63)}"`);
  });
});
