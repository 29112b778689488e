import { AssignerProtocol } from 'kafkajs';
import { ORDERS_WORKER_GROUP } from '@app/orders';
import { AppProcess } from './app-process';
import { eventually } from './eventually';
import { freePort } from './free-port';
import { HaProxy, HEALTH_CHECK } from './haproxy';
import { kafkaBrokers, withAdmin } from './kafka';
import { RedisServer } from './redis-server';
import { TestDatabase } from './test-database';

/** Long enough for HAProxy to see readiness fail (fall × interval) with a margin for a busy machine. */
export const DRAIN_MS = HEALTH_CHECK.fall * HEALTH_CHECK.intervalMs * 4;

/** One process of the topology; restarting it starts a new process on the same port. */
export interface Instance {
  readonly name: string;
  readonly port: number;
  process: AppProcess;
}

/**
 * The service scaled out on one machine: 2 API processes behind HAProxy, 2 worker processes in one
 * consumer group, sharing one PostgreSQL database, one Redis and the Kafka broker.
 */
export class ScaledTopology {
  readonly apis: Instance[] = [];
  readonly workers: Instance[] = [];

  private constructor(
    readonly db: TestDatabase,
    readonly redis: RedisServer,
  ) {}

  static async start(): Promise<ScaledTopology> {
    const topology = new ScaledTopology(await TestDatabase.create(), await RedisServer.start());
    // One API first: it applies the migrations, so the others start on a ready schema.
    topology.apis.push(await topology.startApi({ name: 'api-1', port: await freePort() }));
    const others = await Promise.all([
      topology.startApi({ name: 'api-2', port: await freePort() }),
      topology.startWorker({ name: 'worker-1', port: await freePort() }),
      topology.startWorker({ name: 'worker-2', port: await freePort() }),
    ]);
    topology.apis.push(others[0]);
    topology.workers.push(others[1], others[2]);
    topology.balancer = await HaProxy.start(Object.fromEntries(topology.apis.map((api) => [api.name, api.port])));
    await Promise.all(topology.apis.map((api) => topology.haproxy.waitFor(api.name, 'UP')));
    return topology;
  }

  private balancer: HaProxy | undefined;

  get haproxy(): HaProxy {
    if (!this.balancer) throw new Error('HAProxy is not running');
    return this.balancer;
  }

  private get services(): Record<string, string> {
    return {
      DATABASE_URL: this.db.url,
      REDIS_URL: this.redis.url,
      KAFKA_BROKERS: kafkaBrokers.join(','),
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    };
  }

  /** Starts (or restarts) an API process on the instance's port. */
  async startApi(api: Omit<Instance, 'process'>): Promise<Instance> {
    const env = { ...this.services, ROLES: 'api', PORT: String(api.port), SHUTDOWN_DRAIN_MS: String(DRAIN_MS) };
    return this.launch(api, env);
  }

  /** Each worker has its own Kafka client id, so the group's members can be told apart. */
  async startWorker(worker: Omit<Instance, 'process'>): Promise<Instance> {
    const env = {
      ...this.services,
      ROLES: 'worker',
      PORT: String(worker.port),
      KAFKA_CLIENT_ID: `orders-${worker.name}`,
    };
    // Info level: the relay says when this process takes the lead.
    return this.launch(worker, { ...env, LOG_LEVEL: 'info' });
  }

  private async launch(instance: Omit<Instance, 'process'>, env: Record<string, string>): Promise<Instance> {
    const started = Object.assign(instance, { process: AppProcess.start(env) });
    await started.process.waitUntilLive(started.port);
    return started;
  }

  /** The partitions of `orders` each member of the worker group holds, by worker name. */
  async assignments(): Promise<Record<string, number[]>> {
    const [group] = (await withAdmin((admin) => admin.describeGroups([ORDERS_WORKER_GROUP]))).groups;
    if (group.state !== 'Stable') return {};
    return Object.fromEntries(
      group.members.map((member) => {
        const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
        return [member.clientId.replace(/^orders-/, ''), [...(decoded?.assignment.orders ?? [])].sort((a, b) => a - b)];
      }),
    );
  }

  /** Waits until exactly these workers form the stable group, and returns what each holds. */
  async waitForGroup(names: string[], timeoutMs = 60_000): Promise<Record<string, number[]>> {
    let current: Record<string, number[]> = {};
    await eventually(
      async () => {
        current = await this.assignments();
        return Object.keys(current).sort().join() === [...names].sort().join();
      },
      timeoutMs,
      `the worker group to be ${names.join(', ')} (now ${JSON.stringify(current)})`,
    );
    return current;
  }

  /** The running workers that said they took the lead of the outbox relay (one, once it has started). */
  relayLeaders(): Instance[] {
    return this.workers.filter(
      (worker) => worker.process.running && worker.process.output.includes('now leads the outbox relay'),
    );
  }

  async metric(instance: Instance, line: RegExp): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${instance.port}/metrics`)).text();
    return text
      .split('\n')
      .filter((l) => line.test(l))
      .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
  }

  async stop(): Promise<void> {
    await this.balancer?.stop();
    await Promise.all([...this.apis, ...this.workers].map((instance) => instance.process?.kill()));
    await this.redis.kill();
    await this.db.drop();
  }
}
