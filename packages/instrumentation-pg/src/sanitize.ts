/**
 * Turns SQL text into a low-cardinality `db.query.summary` (`SELECT users`, `INSERT orders`) and
 * `db.operation.name`. It keeps only SQL commands and the names of the tables they read or write: string
 * literals, numbers, `$n` parameters, comments and everything else are dropped, so no value ever reaches an
 * attribute. It is a tokenizer, not a parser: on SQL it does not understand it reports less, never more.
 */

/** A query's operation name and summary. */
export interface QuerySummary {
  readonly operation: string;
  readonly summary: string;
}

/** The summary of a query whose command is unknown (or of no text at all). */
export const OTHER: QuerySummary = Object.freeze({ operation: '_OTHER', summary: '_OTHER' });

/** The longest summary reported; further parts are left out. */
export const MAX_SUMMARY_LENGTH = 255;
/** PostgreSQL's identifier length limit (NAMEDATALEN - 1); longer names are cut. */
const MAX_IDENTIFIER_LENGTH = 63;

/** Commands a statement may start with (PostgreSQL's SQL command list). Anything else is `_OTHER`. */
const COMMANDS = new Set(
  (
    'ABORT ALTER ANALYZE BEGIN CALL CHECKPOINT CLOSE CLUSTER COMMENT COMMIT COPY CREATE DEALLOCATE DECLARE ' +
    'DELETE DISCARD DO DROP END EXECUTE EXPLAIN FETCH GRANT IMPORT INSERT LISTEN LOAD LOCK MERGE MOVE NOTIFY ' +
    'PREPARE REASSIGN REFRESH REINDEX RELEASE RESET REVOKE ROLLBACK SAVEPOINT SECURITY SELECT SET SHOW START ' +
    'TABLE TRUNCATE UNLISTEN UPDATE VACUUM VALUES WITH'
  ).split(' '),
);
/** Data commands: reported wherever they appear (subqueries, CTE bodies, `INSERT ... SELECT`). */
const DML = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE']);
/** Keywords followed by a table name. */
const TARGET_BEFORE = new Set([
  'FROM',
  'JOIN',
  'INTO',
  'UPDATE',
  'USING',
  'TABLE',
  'TRUNCATE',
  'COPY',
  'LOCK',
]);
/** Keywords skipped between a target keyword and the table name. */
const TARGET_SKIP = new Set(['ONLY', 'LATERAL', 'TABLE']);
/** `FOR UPDATE`, `FOR NO KEY UPDATE`, `DO UPDATE`: the word UPDATE that is not a command. */
const AFTER_NOT_UPDATE = new Set(['FOR', 'KEY', 'DO']);
/** Keywords that end a `FROM a, b` list. */
const CLAUSE_END = new Set(
  'WHERE GROUP HAVING ORDER LIMIT OFFSET FETCH FOR WINDOW UNION INTERSECT EXCEPT RETURNING ON SET VALUES SELECT INSERT UPDATE DELETE MERGE WHEN'.split(
    ' ',
  ),
);
/** Schema objects named after CREATE / DROP / ALTER. */
const DDL_OBJECTS = new Set(
  (
    'TABLE INDEX VIEW SCHEMA SEQUENCE FUNCTION PROCEDURE TYPE EXTENSION TRIGGER DATABASE ROLE USER DOMAIN ' +
    'POLICY AGGREGATE COLLATION PUBLICATION SUBSCRIPTION TABLESPACE RULE SERVER'
  ).split(' '),
);
/** Modifiers between CREATE and the object type, or between the type and its name. */
const DDL_SKIP = new Set(
  'OR REPLACE TEMP TEMPORARY UNLOGGED UNIQUE GLOBAL LOCAL MATERIALIZED RECURSIVE IF NOT EXISTS CONCURRENTLY'.split(
    ' ',
  ),
);
/** Words that cannot be a table name (so `FROM LATERAL (...)` or `JOIN (...)` report no target). */
const NOT_A_NAME = new Set([
  ...CLAUSE_END,
  'AS',
  'JOIN',
  'LEFT',
  'RIGHT',
  'INNER',
  'OUTER',
  'CROSS',
  'NATURAL',
  'FULL',
]);

type Token =
  | { readonly kind: 'word'; readonly upper: string; readonly text: string }
  | { readonly kind: 'quoted'; readonly text: string }
  | { readonly kind: 'punct'; readonly text: string };

const isWordStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
const isWordPart = (c: number) => isWordStart(c) || (c >= 48 && c <= 57) || c === 36;

/** Splits SQL into words, quoted identifiers and punctuation; drops literals, parameters and comments. */
function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    const next = sql.charCodeAt(i + 1);
    if (c === 45 && next === 45) {
      // -- line comment
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === 47 && next === 42) {
      // /* block comment */, nested as PostgreSQL nests them
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (sql.startsWith('*/', i)) {
          depth--;
          i += 2;
        } else i++;
      }
    } else if (c === 39) {
      i = skipString(sql, i, false);
    } else if (c === 34) {
      // "quoted identifier" ("" escapes a quote)
      let j = i + 1;
      for (;;) {
        const q = sql.indexOf('"', j);
        if (q < 0) {
          j = n;
          break;
        }
        if (sql.charCodeAt(q + 1) === 34) j = q + 2;
        else {
          j = q + 1;
          break;
        }
      }
      out.push({ kind: 'quoted', text: sql.slice(i, j) });
      i = j;
    } else if (c === 36) {
      // $1 parameter, or $tag$ dollar-quoted string $tag$
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 66));
      if (m) {
        const end = sql.indexOf(m[0], i + m[0].length);
        i = end < 0 ? n : end + m[0].length;
      } else {
        i++;
        while (i < n && sql.charCodeAt(i) >= 48 && sql.charCodeAt(i) <= 57) i++;
      }
    } else if (isWordStart(c)) {
      let j = i + 1;
      while (j < n && isWordPart(sql.charCodeAt(j))) j++;
      const word = sql.slice(i, j);
      if (sql.charCodeAt(j) === 39 && /^(e|x|b|n|u&?)$/i.test(word)) {
        // E'...', X'...', B'...', N'...' literals
        i = skipString(sql, j, word.toLowerCase() === 'e');
      } else {
        out.push({ kind: 'word', upper: word.toUpperCase(), text: word });
        i = j;
      }
    } else if (c >= 48 && c <= 57) {
      i++;
      while (i < n && (isWordPart(sql.charCodeAt(i)) || sql.charCodeAt(i) === 46)) i++;
    } else if (c === 40 || c === 41 || c === 44 || c === 59 || c === 46) {
      out.push({ kind: 'punct', text: sql[i] as string });
      i++;
    } else {
      i++;
    }
  }
  return out;
}

/** Index after a '...' string starting at `i` ('' escapes a quote; with `backslash`, \' does too). */
function skipString(sql: string, i: number, backslash: boolean): number {
  let j = i + 1;
  const n = sql.length;
  while (j < n) {
    const c = sql.charCodeAt(j);
    if (backslash && c === 92) j += 2;
    else if (c === 39) {
      if (sql.charCodeAt(j + 1) === 39) j += 2;
      else return j + 1;
    } else j++;
  }
  return n;
}

const identifier = (t: Token | undefined): string | undefined => {
  if (!t || t.kind === 'punct') return undefined;
  if (t.kind === 'quoted') {
    return t.text.length <= MAX_IDENTIFIER_LENGTH + 2
      ? t.text
      : `${t.text.slice(0, MAX_IDENTIFIER_LENGTH + 1)}"`;
  }
  if (NOT_A_NAME.has(t.upper)) return undefined;
  return t.text.toLowerCase().slice(0, MAX_IDENTIFIER_LENGTH);
};

/** A possibly schema-qualified name starting at `i`: the name and the index after it. */
function qualifiedName(tokens: readonly Token[], i: number): [string | undefined, number] {
  let name = identifier(tokens[i]);
  if (name === undefined) return [undefined, i];
  let j = i + 1;
  while (tokens[j]?.text === '.' && identifier(tokens[j + 1]) !== undefined) {
    name += `.${identifier(tokens[j + 1])}`;
    j += 2;
  }
  return [name, j];
}

/** The operation and summary of one statement. */
function summarizeStatement(tokens: readonly Token[]): QuerySummary {
  const first = tokens[0];
  if (first?.kind !== 'word' || !COMMANDS.has(first.upper)) return OTHER;
  const command = first.upper;
  if (command === 'CREATE' || command === 'DROP' || command === 'ALTER') return summarizeDdl(command, tokens);

  const parts: string[] = [];
  const cteNames = new Set<string>();
  const targetsSinceOp = new Set<string>();
  let operation: string | undefined;
  let depth = 0;
  let listDepth = -1; // depth of an open `FROM a, b` list
  let expectTarget = false;
  let targetMayBeFunction = false;
  let inCteHeader = command === 'WITH';
  let start = 0;
  if (command === 'WITH') start = 1;
  else if (!DML.has(command)) {
    // TRUNCATE t, COPY t, LOCK t, EXPLAIN SELECT ..., BEGIN, SET ...
    parts.push(command);
    operation = command;
    expectTarget = TARGET_BEFORE.has(command);
    start = 1;
  }

  for (let i = start; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind === 'punct') {
      if (t.text === '(') depth++;
      else if (t.text === ')') {
        depth--;
        if (listDepth > depth) listDepth = -1;
      } else if (t.text === ',' && depth === listDepth) expectTarget = true;
      if (t.text !== ',') expectTarget = false;
      continue;
    }
    const upper = t.kind === 'word' ? t.upper : '';
    if (inCteHeader && depth === 0) {
      // WITH [RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED] (body) [, ...] main-statement
      if (upper === 'AS' || upper === 'RECURSIVE' || upper === 'NOT' || upper === 'MATERIALIZED') continue;
      if (DML.has(upper)) inCteHeader = false;
      else {
        const name = identifier(t);
        if (name !== undefined) cteNames.add(name);
        continue;
      }
    }
    const before = tokens[i - 1];
    const notAnOperation =
      upper === 'UPDATE' && before?.kind === 'word' && AFTER_NOT_UPDATE.has(before.upper);
    if (notAnOperation) continue;
    if (DML.has(upper)) {
      if (operation === undefined && depth === 0) operation = upper;
      if (parts[parts.length - 1] !== upper) parts.push(upper);
      targetsSinceOp.clear();
      if (upper === 'UPDATE') {
        expectTarget = true;
        targetMayBeFunction = false;
      } else expectTarget = false;
      if (listDepth >= depth) listDepth = -1;
      continue;
    }
    if (TARGET_BEFORE.has(upper) && !(upper === 'TABLE' && expectTarget)) {
      expectTarget = true;
      targetMayBeFunction = upper === 'FROM' || upper === 'JOIN' || upper === 'USING';
      if (upper === 'FROM') listDepth = depth;
      continue;
    }
    if (expectTarget && t.kind === 'word' && TARGET_SKIP.has(upper)) continue;
    if (CLAUSE_END.has(upper) && depth === listDepth) listDepth = -1;
    if (expectTarget) {
      expectTarget = false;
      const [name, after] = qualifiedName(tokens, i);
      if (name === undefined) continue;
      i = after - 1;
      if (targetMayBeFunction && tokens[after]?.text === '(') continue; // FROM generate_series(...)
      if (cteNames.has(name) || targetsSinceOp.has(name)) continue;
      targetsSinceOp.add(name);
      parts.push(name);
    }
  }
  return { operation: operation ?? command, summary: join(parts) };
}

/** `CREATE TABLE orders`, `DROP INDEX orders_by_user`, `ALTER TABLE users`. */
function summarizeDdl(command: string, tokens: readonly Token[]): QuerySummary {
  const parts = [command];
  let i = 1;
  while (tokens[i]?.kind === 'word' && DDL_SKIP.has((tokens[i] as { upper: string }).upper)) i++;
  const object = tokens[i];
  if (object?.kind === 'word' && DDL_OBJECTS.has(object.upper)) {
    parts.push(object.upper);
    i++;
    while (tokens[i]?.kind === 'word' && DDL_SKIP.has((tokens[i] as { upper: string }).upper)) i++;
    const [name] = qualifiedName(tokens, i);
    if (name !== undefined) parts.push(name);
  }
  return { operation: command, summary: join(parts) };
}

function join(parts: readonly string[]): string {
  let out = '';
  for (const p of parts) {
    if (p === '') continue;
    const next = out === '' ? p : `${out} ${p}`;
    if (next.length > MAX_SUMMARY_LENGTH) break;
    out = next;
  }
  return out === '' ? OTHER.summary : out;
}

/**
 * The operation name and summary of a query text. Several statements (`BEGIN; UPDATE ...; COMMIT`) give the
 * operation `BATCH` and their summaries joined by `; `.
 */
export function summarizeQuery(sql: unknown): QuerySummary {
  if (typeof sql !== 'string' || sql.length === 0) return OTHER;
  const tokens = tokenize(sql);
  const statements: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth = Math.max(0, depth - 1);
    if (t.kind === 'punct' && t.text === ';' && depth === 0) statements.push([]);
    else (statements[statements.length - 1] as Token[]).push(t);
  }
  const summaries = statements.filter((s) => s.length > 0).map(summarizeStatement);
  if (summaries.length === 0) return OTHER;
  if (summaries.length === 1) return summaries[0] as QuerySummary;
  let summary = '';
  for (const s of summaries) {
    const next = summary === '' ? s.summary : `${summary}; ${s.summary}`;
    if (next.length > MAX_SUMMARY_LENGTH) break;
    summary = next;
  }
  return { operation: 'BATCH', summary };
}

/** Texts longer than this are summarised every time instead of being cached (a bound on the cache's memory). */
const MAX_CACHED_TEXT = 4096;
/** Distinct query texts remembered; the oldest is forgotten first. */
const CACHE_SIZE = 1000;

/** A bounded cache in front of {@link summarizeQuery}: applications repeat a small set of query texts. */
export class SummaryCache {
  private readonly _map = new Map<string, QuerySummary>();

  get(sql: unknown): QuerySummary {
    if (typeof sql !== 'string') return OTHER;
    const hit = this._map.get(sql);
    if (hit !== undefined) return hit;
    const s = summarizeQuery(sql);
    if (sql.length <= MAX_CACHED_TEXT) {
      if (this._map.size >= CACHE_SIZE) {
        const oldest = this._map.keys().next();
        if (!oldest.done) this._map.delete(oldest.value);
      }
      this._map.set(sql, s);
    }
    return s;
  }
}
