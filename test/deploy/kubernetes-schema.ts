// Validates a Kubernetes object against the API's schema, offline, as `kubectl apply` would
// (its server-side field validation refuses unknown fields). The schemas come from the
// `kubernetes-models` package: validators that ajv compiled (standalone code) from the
// Kubernetes OpenAPI document, one module per type. They check types, required fields and
// enumerations; like the OpenAPI document itself they let unknown fields through, so a
// misspelt `readinesProbe` would pass. Compiled ajv code reads every property its schema
// declares (`void 0 !== data.name`) and walks the keys of maps (labels, data), so a key of an
// object that the validator never read is a field the schema does not have.

/** ajv's compiled validator: true when valid, else its errors on `validate.errors`. */
type Validate = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string; keyword: string; params: unknown }[] | null };

/** apiVersion/kind → the kubernetes-models module of its schema (add a line for a new kind). */
const SCHEMAS: Record<string, string> = {
  'v1/Namespace': 'IoK8sApiCoreV1Namespace',
  'v1/ConfigMap': 'IoK8sApiCoreV1ConfigMap',
  'v1/Secret': 'IoK8sApiCoreV1Secret',
  'v1/Service': 'IoK8sApiCoreV1Service',
  'apps/v1/Deployment': 'IoK8sApiAppsV1Deployment',
  'autoscaling/v2/HorizontalPodAutoscaler': 'IoK8sApiAutoscalingV2HorizontalPodAutoscaler',
  'policy/v1/PodDisruptionBudget': 'IoK8sApiPolicyV1PodDisruptionBudget',
  'networking.k8s.io/v1/Ingress': 'IoK8sApiNetworkingV1Ingress',
  'networking.k8s.io/v1/NetworkPolicy': 'IoK8sApiNetworkingV1NetworkPolicy',
  'batch/v1/Job': 'IoK8sApiBatchV1Job',
};

/** The problems of one object: schema errors and unknown fields, each with its JSON path; none when valid. */
export async function kubernetesProblems(object: { apiVersion?: unknown; kind?: unknown }): Promise<string[]> {
  const type = `${String(object.apiVersion)}/${String(object.kind)}`;
  const module = SCHEMAS[type];
  if (module === undefined) return [`no schema for ${type}: add it to SCHEMAS in test/deploy/kubernetes-schema.ts`];
  // A computed specifier: the package is a dev dependency the type checker need not resolve.
  const specifier = `kubernetes-models/_schemas/${module}`;
  const { validate } = await import(specifier) as { validate: Validate };
  const read = new WeakMap<object, Set<string>>();
  const objects: { path: string; value: object }[] = [];
  const valid = validate(watched(object, '', read, objects));
  const problems = valid ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'}: ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`);
  for (const { path, value } of objects) {
    if (Array.isArray(value)) continue;
    for (const key of Object.keys(value)) {
      if (!read.get(value)?.has(key)) problems.push(`${path}/${key}: unknown field`);
    }
  }
  return problems;
}

/** A view of `value` that notes which of each object's keys were read. */
function watched(value: unknown, path: string, read: WeakMap<object, Set<string>>, objects: { path: string; value: object }[]): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (!read.has(value)) {
    read.set(value, new Set());
    objects.push({ path, value });
  }
  const keys = read.get(value)!;
  const proxies = new Map<string, unknown>();
  return new Proxy(value, {
    get(target, key, receiver) {
      const found: unknown = Reflect.get(target, key, receiver);
      if (typeof key !== 'string' || !Object.hasOwn(target, key)) return found;
      keys.add(key);
      if (!proxies.has(key)) proxies.set(key, watched(found, `${path}/${key}`, read, objects));
      return proxies.get(key);
    },
    has(target, key) {
      if (typeof key === 'string') keys.add(key);
      return Reflect.has(target, key);
    },
    // Walking the keys (a map such as labels, or minProperties) reads them all.
    ownKeys(target) {
      for (const key of Reflect.ownKeys(target)) if (typeof key === 'string') keys.add(key);
      return Reflect.ownKeys(target);
    },
  });
}
