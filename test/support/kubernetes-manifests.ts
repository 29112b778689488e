import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from './prometheus';

/** A rendered Kubernetes object, loosely typed: the tests read what they check. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: any;
}

/** Debian's `kubectl` package; KUBECTL names another. */
const kubectl = process.env.KUBECTL ?? 'kubectl';

/** `kubectl kustomize` of an overlay in deploy/k8s/overlays: what `kubectl apply -k` would send. */
export function renderOverlay(overlay: string): KubeObject[] {
  const text = execFileSync(kubectl, ['kustomize', join(repoRoot, 'deploy/k8s/overlays', overlay)], {
    encoding: 'utf8',
  });
  return parseAllDocuments(text).map((document) => document.toJS() as KubeObject);
}

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

/**
 * The JSON schema validator for an object's apiVersion and kind: the Kubernetes API's own schemas
 * (kubernetes-models, generated from the Kubernetes 1.36 OpenAPI document), and the Prometheus
 * Operator's CRD schema for monitoring.coreos.com. Undefined for a kind neither knows.
 */
export async function schemaFor(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const module =
    group === 'monitoring.coreos.com'
      ? `@kubernetes-models/prometheus-operator/${group}/${version}`
      : `kubernetes-models/${group ? `${group}/` : ''}${version}`;
  // Both packages are ES modules only.
  const models = (await import(module).catch(() => ({}))) as Record<string, ModelClass | undefined>;
  return models[kind];
}

/** Every schema violation in `objects`, one line each (empty when all are valid). */
export async function schemaErrors(objects: KubeObject[]): Promise<string[]> {
  const errors: string[] = [];
  for (const object of objects) {
    const name = `${object.kind}/${object.metadata.name}`;
    const Schema = await schemaFor(object.apiVersion, object.kind);
    if (!Schema) {
      errors.push(`${name}: no schema for ${object.apiVersion}`);
      continue;
    }
    try {
      new Schema(object).validate();
    } catch (error) {
      errors.push(`${name}: ${(error as Error).message}`);
    }
  }
  return errors;
}
