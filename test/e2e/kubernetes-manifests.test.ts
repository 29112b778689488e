import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PATH_METADATA } from '@nestjs/common/constants';
import { CONFIG_VARIABLES, loadConfig } from '@app/config';
import { HealthController } from '@app/platform';
import { type KubeObject, renderOverlay, schemaErrors } from '../support/kubernetes-manifests';
import { repoRoot } from '../support/prometheus';

// Needs Debian's `kubectl` package (kubectl kustomize); no cluster.

/** The health routes as the application declares them, so the probes cannot drift from them. */
const route = (method: 'live' | 'ready') =>
  `/${Reflect.getMetadata(PATH_METADATA, HealthController)}/${Reflect.getMetadata(PATH_METADATA, HealthController.prototype[method])}`;

const overlays = ['dev', 'prod'];
const byKind = (objects: KubeObject[], kind: string) => objects.filter((object) => object.kind === kind);
const named = (objects: KubeObject[], kind: string, name: string) => {
  const found = objects.find((object) => object.kind === kind && object.metadata.name.startsWith(name));
  assert.ok(found, `${kind} ${name}`);
  return found;
};

/** The environment a container of a Deployment or Job sees: its ConfigMap, Secret keys and own env. */
function containerEnvironment(objects: KubeObject[], container: any): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const configMap = named(objects, 'ConfigMap', source.configMapRef.name);
    Object.assign(env, configMap.data);
  }
  for (const variable of container.env ?? []) {
    const secretRef = variable.valueFrom?.secretKeyRef;
    // Secret values may live outside the repository (prod): a stand-in of the right shape.
    env[variable.name] = secretRef
      ? variable.name === 'REDIS_URL'
        ? 'redis://redis:6379'
        : 'postgres://db/orders'
      : variable.value;
  }
  return env;
}

describe('Kubernetes manifests (deploy/k8s)', () => {
  for (const overlay of overlays) {
    describe(`overlay ${overlay}`, () => {
      const objects = renderOverlay(overlay);
      const deployments = byKind(objects, 'Deployment');

      it('renders every object the service needs, each valid against its schema', async (t) => {
        const kinds = objects.map((object) => object.kind).sort();
        for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget'])
          assert.equal(kinds.filter((k) => k === kind).length, 2, kind);
        for (const kind of ['Job', 'ConfigMap', 'NetworkPolicy', 'ServiceMonitor', 'ServiceAccount', 'Namespace'])
          assert.ok(kinds.includes(kind), kind);
        const errors = await schemaErrors(objects);
        t.diagnostic(`${overlay}: ${objects.length} objects, ${errors.length} schema errors`);
        assert.deepEqual(errors, []);
      });

      it('sets only variables the service reads, with values it accepts, and serves on the ports it probes', () => {
        for (const workload of [...deployments, ...byKind(objects, 'Job')]) {
          for (const container of workload.spec.template.spec.containers) {
            const env = containerEnvironment(objects, container);
            const unknown = Object.keys(env).filter((name) => !CONFIG_VARIABLES.includes(name));
            assert.deepEqual(unknown, [], `${workload.metadata.name}: variables the service does not read`);
            const config = loadConfig(env);
            if (workload.kind === 'Job') continue;
            const portNamed = (name: string) => container.ports.find((p: { name: string }) => p.name === name);
            assert.equal(portNamed('http').containerPort, config.port, workload.metadata.name);
            // With MANAGEMENT_PORT the health routes are served there only.
            const healthPort = config.http.managementPort === undefined ? 'http' : 'management';
            assert.equal(portNamed(healthPort).containerPort, config.http.managementPort ?? config.port);
            assert.equal(container.startupProbe.httpGet.path, route('live'));
            assert.equal(container.livenessProbe.httpGet.path, route('live'));
            assert.equal(container.readinessProbe.httpGet.path, route('ready'));
            for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe'])
              assert.equal(container[probe].httpGet.port, healthPort, `${workload.metadata.name} ${probe}`);
            assert.equal(config.database.migrationsRun, false, 'pods leave migrations to the Job');
          }
        }
      });

      it('gives an API pod time to drain after readiness fails, and to finish, before it is killed', () => {
        const api = named(objects, 'Deployment', 'orders-api');
        const [container] = api.spec.template.spec.containers;
        const { shutdownDrainMs } = loadConfig(containerEnvironment(objects, container));
        const probe = container.readinessProbe;
        // Out of the endpoints after failureThreshold failed probes, with time to spare for propagation.
        assert.ok(
          shutdownDrainMs >= 2 * probe.periodSeconds * probe.failureThreshold * 1000,
          `drain ${shutdownDrainMs} ms`,
        );
        // Then requests in flight finish and connections close, well before SIGKILL.
        assert.ok(api.spec.template.spec.terminationGracePeriodSeconds * 1000 >= shutdownDrainMs + 15_000);
      });

      it('never scales the workers past the partitions of orders, which bound the consumer group', () => {
        const worker = named(objects, 'Deployment', 'orders-worker');
        const env = containerEnvironment(objects, worker.spec.template.spec.containers[0]);
        const hpa = named(objects, 'HorizontalPodAutoscaler', 'orders-worker');
        assert.equal(hpa.spec.scaleTargetRef.name, worker.metadata.name);
        assert.ok(hpa.spec.maxReplicas <= loadConfig(env).kafka.partitions);
        assert.equal(named(objects, 'HorizontalPodAutoscaler', 'orders-api').spec.metrics[0].resource.name, 'cpu');
      });

      it('runs every container as non-root on a read-only root filesystem, with requests and limits', () => {
        for (const workload of [...deployments, ...byKind(objects, 'Job')]) {
          const pod = workload.spec.template.spec;
          assert.equal(pod.securityContext.runAsNonRoot, true, workload.metadata.name);
          assert.equal(pod.automountServiceAccountToken, false);
          for (const container of pod.containers) {
            assert.equal(container.securityContext.readOnlyRootFilesystem, true);
            assert.equal(container.securityContext.allowPrivilegeEscalation, false);
            assert.deepEqual(container.securityContext.capabilities.drop, ['ALL']);
            assert.ok(container.resources.requests.cpu && container.resources.requests.memory);
            assert.ok(container.resources.limits.memory);
          }
        }
      });

      it('migrates with the same entry point as npm run migrate', () => {
        const job = named(objects, 'Job', 'orders-migrate');
        const [, script] = job.spec.template.spec.containers[0].command;
        const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
          scripts: { migrate: string };
        };
        assert.ok(pkg.scripts.migrate.includes(script));
        assert.ok(existsSync(join(repoRoot, script)), script);
      });

      it('selects the pods of each Service, PodDisruptionBudget and NetworkPolicy, and scrapes both with the jobs the alerts use', () => {
        const podLabels = deployments.map((d) => d.spec.template.metadata.labels as Record<string, string>);
        const matches = (selector: Record<string, string>) =>
          podLabels.filter((labels) => Object.entries(selector).every(([k, v]) => labels[k] === v)).length;
        for (const object of [...byKind(objects, 'Service'), ...byKind(objects, 'PodDisruptionBudget')]) {
          const selector = object.spec.selector.matchLabels ?? object.spec.selector;
          assert.equal(matches(selector), 1, `${object.kind} ${object.metadata.name}`);
        }
        assert.equal(matches(named(objects, 'NetworkPolicy', 'orders').spec.podSelector.matchLabels), 2);
        const monitor = named(objects, 'ServiceMonitor', 'orders');
        const jobs = byKind(objects, 'Service').map((service) => service.metadata.labels?.[monitor.spec.jobLabel]);
        assert.deepEqual(jobs.sort(), ['orders-api', 'orders-worker']);
        // Each Service's scraped port leads to the container port that serves /metrics.
        for (const service of byKind(objects, 'Service')) {
          const scraped = service.spec.ports.find((p: { name: string }) => p.name === monitor.spec.endpoints[0].port);
          assert.ok(scraped, `${service.metadata.name} has no port ${monitor.spec.endpoints[0].port}`);
          const deployment = deployments.find((d) =>
            Object.entries(service.spec.selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v),
          )!;
          const [container] = deployment.spec.template.spec.containers;
          const { port, http } = loadConfig(containerEnvironment(objects, container));
          const target = container.ports.find((p: { name: string }) => p.name === scraped.targetPort);
          assert.equal(target.containerPort, http.managementPort ?? port, service.metadata.name);
        }
      });
    });
  }
});
