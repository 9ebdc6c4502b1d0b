import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import type pg from 'pg';
import { dialectOf } from './knex.ts';
import { preparedStatementName } from './query-template.ts';

/**
 * Live updates for kiosks and portals: a write says which kind of data of which estate (and unit) changed, and every
 * server process tells its own connected screens, which then re-read through the ordinary routes. A change carries no
 * data of its own, so who may see what stays decided by those routes.
 *
 * On PostgreSQL a change is a NOTIFY on one channel, sent inside the writing transaction (PostgreSQL delivers it when
 * that transaction commits and drops it when it rolls back), and each process LISTENs on one connection of its own.
 * On SQLite there is one process: the change goes to this process's listeners once the transaction has committed.
 */
export const LIVE_TOPICS = ['passes', 'visits', 'gate_notifications', 'ledger', 'proofs', 'notifications'] as const;
export type LiveTopic = (typeof LIVE_TOPICS)[number];

export interface LiveChange {
  estate_id: string;
  topic: LiveTopic;
  /** The unit the change is about, when it is one unit's (its residents hear of it). */
  unit_id: string | null;
}

export const LIVE_CHANNEL = 'klustera_live';

type Listener = (change: LiveChange) => void;

/** SQLite: the feeds of each open database, keyed by its knex userParams (which its transactions share). */
const localFeeds = new WeakMap<object, Set<Listener>>();

function localKey(knex: Knex | Knex.Transaction): object {
  return (knex.userParams as object | undefined) ?? localFeeds;
}

/** Announces `change` from inside (or outside) a write's transaction; see the module comment. */
const NOTIFY_SQL = 'select pg_notify(?, ?)';

export async function announceChange(knex: Knex | Knex.Transaction, change: LiveChange): Promise<void> {
  if (dialectOf(knex) === 'postgres') {
    await knex.raw(NOTIFY_SQL, [LIVE_CHANNEL, JSON.stringify(change)]).options({ name: preparedStatementName(NOTIFY_SQL) });
    return;
  }
  const deliver = () => {
    for (const listener of localFeeds.get(localKey(knex)) ?? []) listener(change);
  };
  if ((knex as Knex.Transaction).isTransaction) {
    // After the commit, never for a rolled-back write.
    (knex as Knex.Transaction).executionPromise.then(deliver, () => undefined);
  } else {
    deliver();
  }
}

/**
 * Sync's signal on the same channel: the outbox of an estate got rows, so a desktop pushes them soon and the hosted
 * instance answers the desktops waiting on its change log. Never forwarded to screens (no topic of theirs).
 */
export const OUTBOX_SIGNAL = 'outbox';

type OutboxListener = (estateId: string) => void;
const localOutboxFeeds = new WeakMap<object, Set<OutboxListener>>();

/** Announces new outbox rows of `estateIds`, like `announceChange`: delivered once the write commits. */
export async function announceOutbox(knex: Knex | Knex.Transaction, estateIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(estateIds)];
  if (!ids.length) return;
  if (dialectOf(knex) === 'postgres') {
    for (const id of ids) await knex.raw('select pg_notify(?, ?)', [LIVE_CHANNEL, JSON.stringify({ estate_id: id, topic: OUTBOX_SIGNAL })]);
    return;
  }
  const deliver = () => {
    for (const listener of localOutboxFeeds.get(localKey(knex)) ?? []) for (const id of ids) listener(id);
  };
  if ((knex as Knex.Transaction).isTransaction) (knex as Knex.Transaction).executionPromise.then(deliver, () => undefined);
  else deliver();
}

/**
 * PostgreSQL: `announceOutbox`'s notifications as a `select` to end a statement that writes the outbox rows
 * (bulk-insert.ts `insertTogether`), so announcing them costs no round trip of its own. Undefined when there is
 * nothing to announce or on SQLite, whose listeners `announceOutbox` reaches after the commit.
 */
export function outboxSignalSelect(
  knex: Knex | Knex.Transaction,
  estateIds: Iterable<string>,
): { sql: string; bindings: unknown[] } | undefined {
  const ids = [...new Set(estateIds)];
  if (!ids.length || dialectOf(knex) !== 'postgres') return undefined;
  return {
    sql: `select pg_notify(n.channel, n.payload) from (values ${ids.map(() => '(?, ?)').join(', ')}) as n(channel, payload)`,
    bindings: ids.flatMap((id) => [LIVE_CHANNEL, JSON.stringify({ estate_id: id, topic: OUTBOX_SIGNAL })]),
  };
}

function parseOutboxSignal(text: string): string | null {
  try {
    const value = JSON.parse(text) as { estate_id?: unknown; topic?: unknown };
    return value.topic === OUTBOX_SIGNAL && typeof value.estate_id === 'string' ? value.estate_id : null;
  } catch {
    return null;
  }
}

export function parseLiveChange(text: string): LiveChange | null {
  try {
    const value = JSON.parse(text) as Partial<LiveChange>;
    if (typeof value.estate_id !== 'string' || !(LIVE_TOPICS as readonly string[]).includes(value.topic as string)) return null;
    return {
      estate_id: value.estate_id,
      topic: value.topic as LiveTopic,
      unit_id: typeof value.unit_id === 'string' ? value.unit_id : null,
    };
  } catch {
    return null;
  }
}

export interface LiveSubscriber {
  change(change: LiveChange): void;
  /** Changes may have been missed (the LISTEN connection dropped and came back): re-read everything. */
  resync(): void;
}

const RECONNECT_FIRST_MS = 250;
const RECONNECT_MAX_MS = 5_000;

/**
 * This process's end of the live updates: it receives every change of the database and hands it to the screens
 * connected here. On PostgreSQL it holds one dedicated connection (not a pooled one: a pooled connection goes back to
 * the pool and stops listening) and reconnects after a drop, telling its subscribers to re-read.
 */
export class LiveFeed {
  private readonly subscribers = new Set<LiveSubscriber>();
  private readonly outboxListeners = new Set<OutboxListener>();
  private readonly localOutbox: OutboxListener = (estateId) => this.dispatchOutbox(estateId);
  private listener: pg.Client | null = null;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private delayMs = RECONNECT_FIRST_MS;
  private readonly local: Listener = (change) => this.dispatch(change);
  /** Resolves when the feed listens (immediately on SQLite). */
  readonly ready: Promise<void>;

  constructor(
    private readonly knex: Knex,
    private readonly databaseUrl?: string,
  ) {
    if (dialectOf(knex) === 'postgres') {
      if (!databaseUrl) throw new Error('LiveFeed on PostgreSQL needs the database URL');
      this.ready = this.connect(false);
    } else {
      const key = localKey(knex);
      let set = localFeeds.get(key);
      if (!set) localFeeds.set(key, (set = new Set()));
      set.add(this.local);
      let outbox = localOutboxFeeds.get(key);
      if (!outbox) localOutboxFeeds.set(key, (outbox = new Set()));
      outbox.add(this.localOutbox);
      this.ready = Promise.resolve();
    }
  }

  subscribe(subscriber: LiveSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  /** New outbox rows of an estate, from any process (see `announceOutbox`). */
  onOutbox(listener: OutboxListener): () => void {
    this.outboxListeners.add(listener);
    return () => this.outboxListeners.delete(listener);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** The server process id of the LISTEN connection (PostgreSQL), for tests that cut it. */
  get listenerPid(): number | null {
    return (this.listener as (pg.Client & { processID?: number }) | null)?.processID ?? null;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    localFeeds.get(localKey(this.knex))?.delete(this.local);
    localOutboxFeeds.get(localKey(this.knex))?.delete(this.localOutbox);
    this.outboxListeners.clear();
    const client = this.listener;
    this.listener = null;
    this.subscribers.clear();
    await client?.end().catch(() => undefined);
  }

  private dispatch(change: LiveChange): void {
    for (const subscriber of this.subscribers) subscriber.change(change);
  }

  private dispatchOutbox(estateId: string): void {
    for (const listener of this.outboxListeners) listener(estateId);
  }

  private async connect(isReconnect: boolean): Promise<void> {
    const { Client } = createRequire(import.meta.url)('pg') as typeof pg;
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'klustera-live' });
    const lost = () => {
      if (this.listener !== client) return;
      this.listener = null;
      client.removeAllListeners();
      client.on('error', () => undefined);
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    try {
      client.on('error', lost);
      client.on('end', lost);
      client.on('notification', (msg) => {
        if (msg.channel !== LIVE_CHANNEL || !msg.payload) return;
        const outboxOf = parseOutboxSignal(msg.payload);
        if (outboxOf) return this.dispatchOutbox(outboxOf);
        const change = parseLiveChange(msg.payload);
        if (change) this.dispatch(change);
      });
      await client.connect();
      await client.query(`LISTEN ${LIVE_CHANNEL}`);
      if (this.closed) {
        await client.end().catch(() => undefined);
        return;
      }
      this.listener = client;
      this.delayMs = RECONNECT_FIRST_MS;
      if (isReconnect) for (const subscriber of this.subscribers) subscriber.resync();
    } catch (err) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      // The first connection fails the start, as the database being unreachable does; later ones keep trying.
      if (!isReconnect) throw err;
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    const delay = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, RECONNECT_MAX_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.closed) void this.connect(true);
    }, delay);
  }
}
