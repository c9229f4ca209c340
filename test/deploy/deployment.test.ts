// The deployment in deploy/, checked offline: the image's Dockerfile and entry point, and the
// Kubernetes manifests, each valid against the Kubernetes API's schema with no unknown field,
// and the facts that tie them to the code: the probes' paths are the app's routes and answer,
// every variable they set is one Kelid reads, the ports agree, the image runs src/start.js as
// package.json's start script does, as a user that is not root, with only what it copies.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { kubernetesProblems } from './kubernetes-schema.ts';

const root = path.join(import.meta.dirname, '..', '..');
const kubernetesDir = path.join(root, 'deploy', 'kubernetes');
const read = (file: string) => readFile(path.join(root, file), 'utf8');

/**
 * Not Kelid's: names Kubernetes' service links would inject (deployment.yaml turns them off and
 * says so), and the Patroni recipe's folder (deploy/patroni/up.sh prints it).
 */
const NOT_KELIDS = new Set(['KELID_SERVICE_HOST', 'KELID_PORT', 'KELID_HA_DIR']);
/** Node's own settings, read by node itself (src/start.js says why the Deployment sets it). */
const NODES = new Set(['NODE_COMPILE_CACHE']);

type Manifest = { file: string; object: Record<string, unknown> & { apiVersion?: unknown; kind?: unknown; metadata?: { name?: string } } };

async function manifests(): Promise<Manifest[]> {
  const files = (await readdir(kubernetesDir)).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml').sort();
  const found: Manifest[] = [];
  for (const file of files) {
    for (const document of parseAllDocuments(await readFile(path.join(kubernetesDir, file), 'utf8'))) {
      assert.deepEqual(document.errors, [], `${file} parses as YAML`);
      const object: unknown = document.toJS();
      if (object === null) continue;
      assert.ok(typeof object === 'object' && !Array.isArray(object), `${file}: each document is an object`);
      found.push({ file, object: object as Manifest['object'] });
    }
  }
  return found;
}

function only(all: Manifest[], kind: string, name?: string): Manifest['object'] {
  const matching = all.filter((m) => m.object.kind === kind && (name === undefined || m.object.metadata?.name === name));
  assert.equal(matching.length, 1, `exactly one ${kind}${name ? ` named ${name}` : ''}`);
  return matching[0]!.object;
}

// Loose views of the objects the assertions walk; the schema test has already checked their shapes.
type Probe = { httpGet: { path: string; port: string | number } };
type Container = {
  name: string; image: string; ports: { name: string; containerPort: number }[];
  envFrom?: ({ configMapRef?: { name: string }; secretRef?: { name: string } })[];
  env?: { name: string }[];
  resources: { limits: { cpu: string; memory: string } };
  startupProbe: Probe; readinessProbe: Probe; livenessProbe: Probe;
  lifecycle: { preStop: { exec: { command: string[] } } };
  securityContext: { allowPrivilegeEscalation: boolean; readOnlyRootFilesystem: boolean; runAsNonRoot: boolean; capabilities: { drop: string[] } };
  volumeMounts: { name: string; mountPath: string }[];
};
type PodSpec = {
  containers: Container[]; terminationGracePeriodSeconds: number; enableServiceLinks: boolean;
  securityContext: { runAsNonRoot: boolean; runAsUser: number };
  volumes: { name: string; emptyDir?: object }[];
};
type Deployment = { spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } } };

function container(all: Manifest[]): { deployment: Deployment; pod: PodSpec; kelid: Container } {
  const deployment = only(all, 'Deployment', 'kelid') as unknown as Deployment;
  const pod = deployment.spec.template.spec;
  assert.equal(pod.containers.length, 1);
  return { deployment, pod, kelid: pod.containers[0]! };
}

/** The Dockerfile's instructions, continuation lines joined, comments left out. */
async function dockerfile(): Promise<{ instruction: string; args: string }[]> {
  const lines = (await read('deploy/Dockerfile')).replace(/\\\n/g, ' ').split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  return lines.map((line) => { const [instruction = '', ...rest] = line.split(/\s+/); return { instruction: instruction.toUpperCase(), args: rest.join(' ') }; });
}

/** The instructions of the last stage: the image that runs. */
async function finalStage(): Promise<{ instruction: string; args: string }[]> {
  const all = await dockerfile();
  return all.slice(all.map((i) => i.instruction).lastIndexOf('FROM'));
}

/** The environment the manifests give Kelid's container: the ConfigMap and the Secret it names, then its own env. */
function podEnvironment(all: Manifest[], secretValues: Record<string, string> = {}): Record<string, string> {
  const { kelid } = container(all);
  const env: Record<string, string> = {};
  for (const source of kelid.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, (only(all, 'ConfigMap', source.configMapRef.name) as { data: Record<string, string> }).data);
    if (source.secretRef) Object.assign(env, (only(all, 'Secret', source.secretRef.name) as { stringData: Record<string, string> }).stringData, secretValues);
  }
  return env;
}

/** What a real deployment puts in the Secret instead of the placeholders (valid shapes, made up here). */
const REAL_SECRETS = { KELID_SECRET: 'a-real-secret-from-a-secret-manager-'.padEnd(64, 'x') };

describe('the container image (deploy/Dockerfile)', () => {
  test('every stage is an official Node 24 image named by tag, the Node that package.json asks for', async () => {
    const froms = [...(await read('deploy/Dockerfile')).matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    const engines = JSON.parse(await read('package.json')).engines.node as string;
    // node:24 is the newest 24.x, which meets the engines' floor (24.2: import.meta.main).
    assert.match(engines, /^>=24(\.\d+)? <25$/);
    assert.ok(froms.length >= 2, 'multi-stage');
    for (const image of froms) assert.match(image ?? '', /^node:24-[a-z]+-slim$/);
  });

  test('it installs the locked production dependencies only, and runs src/start.js with the start script\'s flags', async () => {
    const dockerfile = await read('deploy/Dockerfile');
    assert.match(dockerfile, /npm ci --omit=dev/);
    const stage = await finalStage();
    const cmd = stage.find((i) => i.instruction === 'CMD');
    const command = JSON.parse(cmd?.args ?? 'null') as string[];
    const start = (JSON.parse(await read('package.json')).scripts.start as string).replace(/^exec\s+/, '').split(/\s+/);
    assert.deepEqual(command, start, 'CMD (exec form) is `npm start`\'s command, run by the image\'s node');
    assert.equal(command.at(-1), 'src/start.js');
  });

  test('it runs as a numeric user that is not root, the one the Deployment names', async () => {
    const users = (await finalStage()).filter((i) => i.instruction === 'USER').map((i) => i.args);
    assert.equal(users.length, 1);
    const [uid = '', gid = ''] = users[0]!.split(':');
    assert.match(uid, /^\d+$/, 'numeric, so runAsNonRoot can verify it');
    assert.notEqual(Number(uid), 0);
    assert.notEqual(Number(gid), 0);
    const { pod } = container(await manifests());
    assert.equal(pod.securityContext.runAsUser, Number(uid));
  });

  test('it exposes the port that Kelid listens on and the container declares', async () => {
    const expose = (await finalStage()).filter((i) => i.instruction === 'EXPOSE').map((i) => i.args);
    const all = await manifests();
    const { kelid } = container(all);
    const http = kelid.ports.find((p) => p.name === 'http');
    const config = loadConfig({ ...podEnvironment(all, REAL_SECRETS) });
    assert.deepEqual(expose, [String(config.port)]);
    assert.equal(http?.containerPort, config.port);
  });

  test('what it copies is in the build context: .dockerignore leaves out node_modules, data, .git and test output, not the sources', async () => {
    const ignored = (await read('.dockerignore')).split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
    for (const needed of ['node_modules', 'data', '.git', '.tmp', 'test']) assert.ok(ignored.includes(needed), `.dockerignore leaves out ${needed}`);
    // Sources copied from the build context (not from another stage), in every stage.
    const copied = (await dockerfile()).filter((i) => i.instruction === 'COPY' && !i.args.includes('--from='))
      .flatMap((i) => i.args.split(/\s+/).filter((word) => !word.startsWith('--')).slice(0, -1));
    assert.ok(copied.includes('src') && copied.includes('package.json'));
    for (const source of copied) {
      const top = source.split('/')[0]!;
      assert.ok(!ignored.includes(top) && !ignored.includes(source), `${source} is copied, so .dockerignore must not leave it out`);
    }
  });

  test('the entry point refuses to start without DATABASE_URL (no embedded database in a container), and runs the command with it', () => {
    const script = path.join(root, 'deploy', 'docker-entrypoint.sh');
    const run = (env: Record<string, string>) => spawnSync('sh', [script, process.execPath, '-e', 'process.stdout.write("started")'], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
    for (const env of [{}, { DATABASE_URL: '' }, { DATABASE_URL: '  ' }]) {
      const refused = run(env);
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /DATABASE_URL is required/);
      assert.equal(refused.stdout, '');
    }
    const started = run({ DATABASE_URL: 'postgres://kelid@db/kelid' });
    assert.equal(started.status, 0, started.stderr);
    assert.equal(started.stdout, 'started');
  });

  test('nothing src/ imports is a dev dependency (the image has none)', async () => {
    const pkg = JSON.parse(await read('package.json')) as { dependencies: Record<string, string> };
    const files = (await readdir(path.join(root, 'src'), { recursive: true })).filter((file) => file.endsWith('.ts'));
    const missing = new Set<string>();
    const seen = new Set<string>();
    for (const file of files) {
      const text = await readFile(path.join(root, 'src', file), 'utf8');
      // Import and export statements, dynamic imports, and packages resolved by name for their files (fonts, widgets).
      const specifiers = text.matchAll(/^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?'([^']+)'|\bimport\('([^']+)'\)|\b(?:require\.resolve|import\.meta\.resolve|packageDir)\('([^']+)'/gm);
      for (const match of specifiers) {
        const specifier = match[1] ?? match[2] ?? match[3] ?? '';
        if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
        seen.add(name);
        if (!(name in pkg.dependencies)) missing.add(`${name} (src/${file})`);
      }
    }
    assert.deepEqual([...missing], []);
    for (const name of ['fastify', 'oidc-provider', '@node-rs/argon2', 'subset-font', 'altcha']) assert.ok(seen.has(name), `the scan finds ${name}`);
  });
});

describe('the Kubernetes manifests (deploy/kubernetes)', () => {
  test('every manifest is valid against the Kubernetes API schema, with no unknown field', async () => {
    const all = await manifests();
    assert.ok(all.length >= 9);
    for (const { file, object } of all) {
      assert.deepEqual(await kubernetesProblems(object), [], `${file}: ${String(object.kind)} ${object.metadata?.name ?? ''}`);
    }
  });

  test('the schema check catches a misspelt field, a wrong type and a missing required field', async () => {
    const { deployment } = container(await manifests());
    const copy = structuredClone(deployment) as unknown as { apiVersion: string; kind: string; spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
    const first = copy.spec.template.spec.containers[0]!;
    first.readinesProbe = first.readinessProbe;
    first.ports = [{ containerPort: 'three thousand' }];
    delete first.name;
    const problems = await kubernetesProblems({ ...copy, apiVersion: 'apps/v1', kind: 'Deployment' });
    assert.ok(problems.some((p) => p.includes('/containers/0/readinesProbe: unknown field')), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes('/containers/0/ports/0/containerPort')), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes('"missingProperty":"name"')), problems.join('\n'));
  });

  test('kustomization.yaml lists every manifest but the examples, which are never applied as they are', async () => {
    const kustomization = parseAllDocuments(await readFile(path.join(kubernetesDir, 'kustomization.yaml'), 'utf8'))[0]!.toJS() as { apiVersion: string; kind: string; resources: string[]; images: { name: string }[] };
    assert.equal(kustomization.apiVersion, 'kustomize.config.k8s.io/v1beta1');
    assert.equal(kustomization.kind, 'Kustomization');
    const files = (await readdir(kubernetesDir)).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
    assert.deepEqual([...kustomization.resources].sort(), files.filter((file) => !file.endsWith('.example.yaml')).sort());
    assert.ok(!kustomization.resources.includes('secret.example.yaml'), 'placeholders would overwrite the real Secret');
    const { kelid } = container(await manifests());
    assert.ok(kustomization.images.some((image) => image.name === kelid.image), 'the images entry names the Deployment\'s image');
  });

  test('the probes ask the app\'s own routes, and they answer with the manifests\' configuration', async () => {
    const all = await manifests();
    const { kelid } = container(all);
    const probes = { startup: kelid.startupProbe, readiness: kelid.readinessProbe, liveness: kelid.livenessProbe };
    assert.equal(probes.readiness.httpGet.path, '/readyz');
    assert.equal(probes.liveness.httpGet.path, '/healthz');
    for (const probe of Object.values(probes)) assert.ok(kelid.ports.some((p) => p.name === probe.httpGet.port), `probe port ${probe.httpGet.port} is a named container port`);
    // The app as the pods build it (argon2 made cheap and logs off for the test; PGlite stands in for PostgreSQL).
    const { LOG_LEVEL: _level, DATABASE_URL: _url, KELID_DATABASE_LISTEN_URL: _listenUrl, ...env } = podEnvironment(all, REAL_SECRETS);
    const t: TestApp = await startTestApp('pglite', { ...env, KELID_ARGON2_MEMORY_KIB: '8192', KELID_ARGON2_ITERATIONS: '1' });
    try {
      for (const [name, probe] of Object.entries(probes)) {
        assert.ok(t.app.routeTable.some((r) => r.method === 'GET' && r.url === probe.httpGet.path), `${name} probe: GET ${probe.httpGet.path} is a route`);
        const answer = await t.app.inject({ url: probe.httpGet.path, remoteAddress: '10.1.2.3' });
        assert.equal(answer.statusCode, 200, `${name} probe: ${probe.httpGet.path} answers 200`);
      }
    } finally {
      await t.close();
    }
  });

  test('every variable the manifests set is one Kelid reads, and they make a configuration Kelid accepts', async () => {
    const all = await manifests();
    const env = podEnvironment(all, REAL_SECRETS);
    const jobs = all.filter((m) => m.object.kind === 'Job').flatMap((m) => (m.object as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec.containers);
    const named = new Set([...Object.keys(env), ...[container(all).kelid, ...jobs].flatMap((c) => (c.env ?? []).map((e) => e.name))]);
    const readByKelid = new Set<string>();
    const recording = new Proxy(env, { get(target, key) { if (typeof key === 'string') readByKelid.add(key); return typeof key === 'string' ? target[key] : undefined; } });
    const config = loadConfig(recording);
    const unread = [...named].filter((name) => !readByKelid.has(name) && !NODES.has(name));
    assert.deepEqual(unread, [], 'set in the manifests but never read by src/config.ts');
    assert.equal(config.demo, false);
    assert.equal(config.adminMfa, 'required');
    assert.equal(config.trustProxy, 1);
    // DATABASE_URL is PgBouncer in transaction mode (deploy/patroni/): LISTEN and the locks go
    // past it, and no named prepared statements (docs/operations.md).
    assert.match(config.databaseUrl ?? '', /pgbouncer/);
    assert.ok(config.databaseListenUrl !== undefined && config.databaseListenUrl !== config.databaseUrl, 'KELID_DATABASE_LISTEN_URL past the pooler');
    assert.equal(config.databasePreparedStatements, false);
    assert.ok(config.publicUrl.startsWith('https://'));
    assert.equal(config.notify.sms === 'dev' || config.notify.email === 'dev', false, 'no dev channel');
  });

  test('the Secret template as it stands is refused, so its placeholders never run', async () => {
    const env = podEnvironment(await manifests());
    assert.throws(() => loadConfig(env), /KELID_SECRET must be at least 32 characters/);
  });

  test('every KELID_ name in deploy/ and docs/operations.md exists in src/config.ts and its parts', async () => {
    const parts = (await readdir('src/config')).filter((file) => file.endsWith('.ts')).map((file) => `src/config/${file}`);
    assert.ok(parts.length > 0, 'src/config/ holds the configuration\'s parts');
    const config = (await Promise.all(['src/config.ts', ...parts].map(read))).join('\n');
    const files = [...(await readdir(kubernetesDir)).map((file) => `deploy/kubernetes/${file}`), 'deploy/Dockerfile', 'deploy/docker-entrypoint.sh', 'docs/operations.md'];
    const unknown = new Set<string>();
    for (const file of files) {
      for (const [name = ''] of (await read(file)).matchAll(/\b(?:KELID_[A-Z0-9_]*[A-Z0-9]|DATABASE_URL|LOG_LEVEL)\b/g)) {
        if (NOT_KELIDS.has(name)) continue;
        if (!config.includes(`'${name}'`) && !config.includes(`env.${name}`)) unknown.add(`${name} (${file})`);
      }
    }
    assert.deepEqual([...unknown], []);
  });

  test('the Service, Ingress, autoscaler and disruption budget all reach the Deployment\'s pods and port', async () => {
    const all = await manifests();
    const { deployment, kelid } = container(all);
    const podLabels = deployment.spec.template.metadata.labels;
    const selects = (selector: Record<string, string>) => Object.entries(selector).every(([key, value]) => podLabels[key] === value);
    assert.ok(selects(deployment.spec.selector.matchLabels));
    const service = only(all, 'Service', 'kelid') as unknown as { spec: { selector: Record<string, string>; ports: { name: string; port: number; targetPort: string }[] } };
    assert.ok(selects(service.spec.selector));
    const servicePort = service.spec.ports.find((p) => p.name === 'http')!;
    assert.ok(kelid.ports.some((p) => p.name === servicePort.targetPort));
    const hpa = only(all, 'HorizontalPodAutoscaler') as unknown as { spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number } };
    assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'kelid' });
    const pdb = only(all, 'PodDisruptionBudget') as unknown as { spec: { selector: { matchLabels: Record<string, string> }; maxUnavailable: number } };
    assert.ok(selects(pdb.spec.selector.matchLabels));
    assert.ok(hpa.spec.minReplicas - pdb.spec.maxUnavailable >= 2, 'a drain leaves at least two pods serving');
    const policy = only(all, 'NetworkPolicy') as unknown as { spec: { podSelector: { matchLabels: Record<string, string> }; ingress: { ports: { port: string }[] }[] } };
    assert.ok(selects(policy.spec.podSelector.matchLabels));
    assert.ok(policy.spec.ingress.every((rule) => rule.ports.every((p) => kelid.ports.some((cp) => cp.name === p.port))));

    const ingress = only(all, 'Ingress') as unknown as { spec: { tls: { hosts: string[] }[]; rules: { host: string; http: { paths: { path: string; pathType: string; backend: { service: { name: string; port: { name?: string; number?: number } } } }[] } }[] } };
    const host = new URL(loadConfig(podEnvironment(all, REAL_SECRETS)).publicUrl).host;
    assert.deepEqual(ingress.spec.rules.map((r) => r.host), [host], 'the Ingress serves KELID_PUBLIC_URL\'s host');
    assert.deepEqual(ingress.spec.tls.flatMap((t) => t.hosts), [host], 'with TLS');
    const paths = ingress.spec.rules[0]!.http.paths;
    const rootPath = paths.find((p) => p.path === '/' && p.pathType === 'Prefix')!;
    assert.equal(rootPath.backend.service.name, 'kelid');
    assert.equal(rootPath.backend.service.port.name, servicePort.name);
    const metrics = paths.find((p) => p.path === '/metrics')!;
    assert.equal(metrics.pathType, 'Exact');
    const sink = only(all, 'Service', metrics.backend.service.name) as { spec: { selector?: unknown } };
    assert.equal(sink.spec.selector, undefined, '/metrics leads to a Service with no endpoints');
  });

  test('the pod is locked down: non-root, no privilege escalation, no capabilities, a read-only root with a writable /tmp', async () => {
    const { pod, kelid } = container(await manifests());
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.equal(pod.enableServiceLinks, false);
    assert.equal(kelid.securityContext.allowPrivilegeEscalation, false);
    assert.equal(kelid.securityContext.readOnlyRootFilesystem, true);
    assert.deepEqual(kelid.securityContext.capabilities.drop, ['ALL']);
    const tmp = kelid.volumeMounts.find((m) => m.mountPath === '/tmp');
    assert.ok(tmp && pod.volumes.some((v) => v.name === tmp.name && v.emptyDir !== undefined));
  });

  test('shutdown fits the grace period: the preStop sleep, then Kelid\'s own drain', async () => {
    const { pod, kelid } = container(await manifests());
    const [sleep, seconds] = kelid.lifecycle.preStop.exec.command;
    assert.equal(sleep, 'sleep');
    assert.ok(Number(seconds) >= 3 && Number(seconds) <= 10);
    // Kelid's drain: requests in flight, then the outbox's sends in flight (15 s deadline each, src/notify/channels/http.ts).
    assert.ok(pod.terminationGracePeriodSeconds >= Number(seconds) + 15 + 5);
  });

  test('the pod hashes as many passwords at once as its CPU limit has cores', async () => {
    const all = await manifests();
    const { kelid } = container(all);
    const config = loadConfig(podEnvironment(all, REAL_SECRETS));
    assert.equal(config.hashConcurrency, Number(kelid.resources.limits.cpu));
  });
});
