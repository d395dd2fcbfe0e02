/**
 * Offline checks of infra/: the compose file, every Kubernetes manifest and the
 * Dockerfile are parsed and held against the code they run — the CLI's commands, the
 * API's routes and the settings the services actually read and validate.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readEventStoreConfig } from "@aidtrail/event-store";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { readRuntimeConfig } from "../../services/cli/src/runtime-config.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

// Parsed YAML: its shape is what the assertions below check.
type Doc = Record<string, any>;

// ---- what the code offers -------------------------------------------------------

/** Keys of the zod schemas the services validate their environment with. */
function settingsReadBy(files: string[]): Set<string> {
  const keys = new Set<string>();
  for (const file of files) for (const m of read(file).matchAll(/^\s+([A-Z][A-Z0-9_]+):\s*z\b/gm)) keys.add(m[1]!);
  return keys;
}
const SETTINGS = settingsReadBy([
  "services/cli/src/runtime-config.ts",
  "packages/db/src/config.ts",
  "packages/event-store/src/event-store-from-env.ts",
]);
/** Read by Node itself, not by aidtrail. */
const NODE_SETTINGS = new Set(["NODE_ENV", "NODE_OPTIONS"]);

/** Commands of `aidtrail` (services/cli/src/main.ts). */
const CLI_COMMANDS = new Set([...read("services/cli/src/main.ts").matchAll(/^\s+"?([a-z-]+)"?: \{ run:/gm)].map((m) => m[1]!));

/** Paths the API registers with `app.<method>("/…"`, across its source files. */
function apiRoutes(): Set<string> {
  const routes = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (rel.endsWith(".ts") && !rel.endsWith(".spec.ts")) {
        for (const m of read(rel).matchAll(/app\.(?:get|post|put|patch|delete)\(\s*"([^"]+)"/g)) routes.add(m[1]!);
      }
    }
  };
  walk("services/api/src");
  return routes;
}
const API_ROUTES = apiRoutes();
/** Paths that need no token: a probe elsewhere would get 401. */
const PUBLIC_PREFIXES = JSON.parse(
  (/PUBLIC_PREFIXES = (\[[^\]]*\])/.exec(read("services/api/src/auth/access-matrix.ts"))?.[1] ?? "[]").replace(/ as const/, ""),
) as string[];

/** Every setting validated the way the services validate it at start. */
function expectValidSettings(env: Record<string, string>): void {
  for (const key of Object.keys(env)) {
    expect(SETTINGS.has(key) || NODE_SETTINGS.has(key), `${key} is not read by any service`).toBe(true);
  }
  expect(() => readRuntimeConfig(env)).not.toThrow();
  expect(() => readEventStoreConfig(env)).not.toThrow();
}

// ---- compose ---------------------------------------------------------------------

/** `${VAR:?message}` and `${VAR}` as compose would fill them from a .env file. */
const interpolate = (value: string) =>
  value.replace(/\$\{(\w+)(?::\?[^}]*)?\}/g, (_, name: string) =>
    name === "AIDTRAIL_JWT_SECRET" ? "x".repeat(40) : `sample-${name.toLowerCase()}`,
  );

describe("infra/compose.yaml", () => {
  const compose = parse(read("infra/compose.yaml")) as Doc;
  const services = compose.services as Record<string, Doc>;
  const envOf = (name: string): Record<string, string> =>
    Object.fromEntries(Object.entries(services[name]!.environment as Record<string, unknown>).map(([k, v]) => [k, interpolate(String(v))]));
  const nodes = ["kurrentdb-1", "kurrentdb-2", "kurrentdb-3"];

  it("has the production-like set: a 3-node KurrentDB cluster, PostgreSQL, two APIs, a projector", () => {
    expect(Object.keys(services).sort()).toEqual(["api", "kurrentdb-1", "kurrentdb-2", "kurrentdb-3", "postgres", "projector"]);
    expect(services.api!.deploy?.replicas).toBeGreaterThanOrEqual(2);
  });

  it("gives every service a healthcheck, and starts a service only after what it needs is healthy", () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.healthcheck?.test, `${name} has no healthcheck`).toBeDefined();
      for (const [dependency, condition] of Object.entries((service.depends_on ?? {}) as Record<string, Doc>)) {
        expect(services[dependency], `${name} depends on unknown ${dependency}`).toBeDefined();
        expect(condition.condition).toBe("service_healthy");
      }
    }
  });

  it("forms one KurrentDB cluster: same image, size 3, each node seeds the other two at their replication addresses", () => {
    const images = new Set(nodes.map((n) => services[n]!.image));
    expect(images.size).toBe(1);
    expect([...images][0]).toMatch(/kurrentdb/);
    const addressOf = (n: string) => services[n]!.networks.cluster.ipv4_address as string;
    for (const n of nodes) {
      const env = services[n]!.environment as Doc;
      expect(env.KURRENTDB_CLUSTER_SIZE).toBe("3");
      expect(env.KURRENTDB_REPLICATION_IP).toBe(addressOf(n));
      const seeds = String(env.KURRENTDB_GOSSIP_SEED).split(",").sort();
      expect(seeds).toEqual(nodes.filter((o) => o !== n).map((o) => `${addressOf(o)}:2113`).sort());
      expect(services[n]!.volumes?.length, `${n} keeps no data`).toBeGreaterThan(0);
    }
  });

  it("runs the API and the projector from the one image of infra/Dockerfile, with real CLI commands", () => {
    for (const name of ["api", "projector"]) {
      expect(services[name]!.image).toBe("aidtrail:local");
      expect(existsSync(path.join(root, "infra", services[name]!.build.context, services[name]!.build.dockerfile))).toBe(true);
      for (const command of services[name]!.command as string[]) expect(CLI_COMMANDS).toContain(command);
    }
    expect(services.api!.command).toEqual(["start"]);
    expect(services.projector!.command).toEqual(["projector"]);
  });

  it("sets only settings the services read, valid by their own schemas, pointing at the services of this file", () => {
    for (const name of ["api", "projector"]) {
      const env = envOf(name);
      expectValidSettings(env);
      expect(new URL(env.DATABASE_URL!).hostname).toBe("postgres");
      expect(env.EVENT_STORE).toBe("eventstoredb");
      const hosts = env.EVENTSTORE_URL!.replace(/^esdb:\/\//, "").split("?")[0]!.split(",");
      expect(hosts.sort()).toEqual(nodes.map((n) => `${services[n]!.networks.cluster.ipv4_address}:2113`).sort());
      for (const secret of services[name]!.secrets as Doc[]) expect(compose.secrets[secret.source]).toBeDefined();
    }
    const api = envOf("api");
    expect(api.AIDTRAIL_HOST).toBe("0.0.0.0");
    expect(services.api!.ports).toContain(`3000-3001:${api.AIDTRAIL_PORT}`);
  });

  it("probes the API on a route it serves without a token", () => {
    const test = (services.api!.healthcheck.test as string[]).join(" ");
    const probed = /127\.0\.0\.1:3000(\/\w+)/.exec(test)?.[1];
    expect(probed).toBe("/readyz");
    expect(API_ROUTES).toContain(probed);
    expect(PUBLIC_PREFIXES).toContain(probed);
    expect((services.projector!.healthcheck.test as string[]).join(" ")).toContain("aidtrail_projection_lag_seconds");
    expect(read("services/api/src/plugins/metrics.ts")).toContain('"aidtrail_projection_lag_seconds"');
  });
});

// ---- Kubernetes ------------------------------------------------------------------

describe("infra/k8s", () => {
  const dir = "infra/k8s";
  const files = readdirSync(path.join(root, dir)).filter((f) => f.endsWith(".yaml"));
  const docsOf = (file: string): Doc[] =>
    parseAllDocuments(read(path.join(dir, file))).map((d) => {
      expect(d.errors, `${file}: ${d.errors.join("; ")}`).toEqual([]);
      return d.toJS() as Doc;
    });
  const kustomization = docsOf("kustomization.yaml")[0]!;
  const applied = (kustomization.resources as string[]).flatMap(docsOf);
  const byKind = (kind: string) => applied.filter((d) => d.kind === kind);
  const exampleSecrets = docsOf("secrets.example.yaml");
  const configMaps = byKind("ConfigMap");
  const deployments = byKind("Deployment");
  const deployment = (name: string) => deployments.find((d) => d.metadata.name === name)!;
  const containerOf = (d: Doc) => d.spec.template.spec.containers[0] as Doc;

  it("applies every manifest of the folder (the example Secrets excepted), each a well-formed object", () => {
    expect([...(kustomization.resources as string[])].sort()).toEqual(
      files.filter((f) => f !== "kustomization.yaml" && f !== "secrets.example.yaml").sort(),
    );
    for (const doc of [...applied, ...exampleSecrets]) {
      expect(doc.apiVersion).toBeTruthy();
      expect(doc.kind).toBeTruthy();
      expect(doc.metadata?.name).toMatch(/^[a-z0-9-]+$/);
    }
    expect(byKind("Deployment").map((d) => d.metadata.name).sort()).toEqual(["aidtrail-api", "aidtrail-projector"]);
    expect(byKind("Service")).toHaveLength(1);
    expect(byKind("PodDisruptionBudget")).toHaveLength(2);
    expect(configMaps).toHaveLength(1);
  });

  it("runs both Deployments as non-root from one image, with real CLI commands and resource requests and limits", () => {
    const imageNames = (kustomization.images as Doc[]).map((i) => i.name);
    for (const d of deployments) {
      expect(d.spec.selector.matchLabels).toEqual(
        Object.fromEntries(Object.keys(d.spec.selector.matchLabels).map((k) => [k, d.spec.template.metadata.labels[k]])),
      );
      const pod = d.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      const c = containerOf(d);
      expect(imageNames).toContain(c.image);
      expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
      for (const arg of c.args as string[]) expect(CLI_COMMANDS).toContain(arg);
      for (const kind of ["requests", "limits"]) {
        expect(c.resources[kind].cpu, `${d.metadata.name} ${kind}.cpu`).toBeTruthy();
        expect(c.resources[kind].memory, `${d.metadata.name} ${kind}.memory`).toBeTruthy();
      }
      // V8's heap must fit under the memory limit, or the kernel kills before the collector runs.
      const heapMb = Number(/--max-old-space-size=(\d+)/.exec((c.env as Doc[]).find((e) => e.name === "NODE_OPTIONS")?.value ?? "")?.[1]);
      const limit = String(c.resources.limits.memory);
      const limitMb = limit.endsWith("Gi") ? Number.parseFloat(limit) * 1024 : Number.parseFloat(limit);
      expect(heapMb).toBeLessThan(limitMb);
    }
    expect(containerOf(deployment("aidtrail-api")).args).toEqual(["start"]);
    expect(containerOf(deployment("aidtrail-projector")).args).toEqual(["projector"]);
  });

  it("takes settings from the ConfigMap and Secret references only, all of them read and valid", () => {
    const secretKeys = new Map(exampleSecrets.map((s) => [s.metadata.name as string, Object.keys(s.stringData ?? {})]));
    const configMap = configMaps[0]!;
    for (const d of deployments) {
      const c = containerOf(d);
      const env: Record<string, string> = {};
      for (const from of c.envFrom as Doc[]) {
        expect(from.configMapRef.name).toBe(configMap.metadata.name);
        Object.assign(env, configMap.data);
      }
      for (const e of c.env as Doc[]) {
        if (e.valueFrom) {
          const ref = e.valueFrom.secretKeyRef as Doc;
          expect(secretKeys.get(ref.name), `${d.metadata.name}: secret ${ref.name}`).toContain(ref.key);
          expect(e.value).toBeUndefined();
          env[e.name] = String(exampleSecrets.find((s) => s.metadata.name === ref.name)!.stringData[ref.key]);
        } else {
          env[e.name] = String(e.value);
        }
      }
      expectValidSettings(env);
      expect(env.DATABASE_URL).toBeDefined();
      for (const v of d.spec.template.spec.volumes as Doc[]) {
        if (v.secret) expect(secretKeys.has(v.secret.secretName), `${d.metadata.name}: secret ${v.secret.secretName}`).toBe(true);
      }
      // The PII key file must be where the services look for it: <AIDTRAIL_DATA_DIR>/pii-keys.json.
      const piiMount = (c.volumeMounts as Doc[]).find((m) => m.name === "pii-keys")!;
      expect(piiMount.mountPath).toBe(env.AIDTRAIL_DATA_DIR);
      expect(secretKeys.get("aidtrail-pii-keys")).toEqual(["pii-keys.json"]);
    }
    // Readable by the pod's group (fsGroup), not by root alone.
    for (const d of deployments) for (const v of d.spec.template.spec.volumes as Doc[]) if (v.secret) expect(v.secret.defaultMode & 0o040).toBe(0o040);
  });

  it("probes the API: readiness on /readyz, liveness on /healthz, on the port it listens on, routes it serves without a token", () => {
    const api = deployment("aidtrail-api");
    const c = containerOf(api);
    const port = (c.ports as Doc[])[0]!;
    expect(String(port.containerPort)).toBe(configMaps[0]!.data.AIDTRAIL_PORT);
    expect(c.readinessProbe.httpGet.path).toBe("/readyz");
    expect(c.livenessProbe.httpGet.path).toBe("/healthz");
    for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe].filter(Boolean)) {
      expect([port.name, port.containerPort]).toContain(probe.httpGet.port);
      expect(API_ROUTES).toContain(probe.httpGet.path);
      expect(PUBLIC_PREFIXES).toContain(probe.httpGet.path);
    }
    // The projector serves no HTTP: an HTTP probe there would restart it forever.
    const projector = containerOf(deployment("aidtrail-projector"));
    expect(projector.ports).toBeUndefined();
    for (const probe of ["readinessProbe", "livenessProbe", "startupProbe"]) expect(projector[probe]?.httpGet).toBeUndefined();
  });

  it("routes the Service to the API's pods and port; each PodDisruptionBudget covers a Deployment and leaves room to drain", () => {
    const service = byKind("Service")[0]!;
    const api = deployment("aidtrail-api");
    for (const [k, v] of Object.entries(service.spec.selector as Record<string, string>)) expect(api.spec.template.metadata.labels[k]).toBe(v);
    const portNames = (containerOf(api).ports as Doc[]).map((p) => p.name);
    for (const p of service.spec.ports as Doc[]) expect(portNames).toContain(p.targetPort);
    for (const pdb of byKind("PodDisruptionBudget")) {
      const target = deployments.find((d) =>
        Object.entries(pdb.spec.selector.matchLabels as Record<string, string>).every(([k, v]) => d.spec.template.metadata.labels[k] === v),
      );
      expect(target, `${pdb.metadata.name} selects no Deployment`).toBeDefined();
      expect(pdb.spec.minAvailable).toBeLessThan(target!.spec.replicas);
    }
  });
});

// ---- Dockerfile ------------------------------------------------------------------

describe("infra/Dockerfile", () => {
  const text = read("infra/Dockerfile");
  const lines = text.split("\n").filter((l) => l.trim() && !l.trim().startsWith("#"));
  const args = Object.fromEntries([...text.matchAll(/^ARG (\w+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
  const stages = lines.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith("FROM "));
  const finalStage = lines.slice(stages.at(-1)![1]);

  it("is multi-stage on node:20-slim, installs exactly the lockfile with the repository's pnpm", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const [from] of stages) expect(from.replace(/\$\{(\w+)\}/g, (_, n: string) => args[n] ?? "")).toMatch(/^FROM node:20-slim\b/);
    expect(text).toMatch(/pnpm install [^\n]*--frozen-lockfile/);
    const packageManager = (JSON.parse(read("package.json")) as { packageManager: string }).packageManager;
    expect(`pnpm@${args.PNPM_VERSION}`).toBe(packageManager);
  });

  it("runs as a non-root user in the final stage", () => {
    const user = finalStage.filter((l) => l.startsWith("USER ")).at(-1);
    expect(user, "the final stage sets no USER").toBeDefined();
    expect(user!.slice(5).split(":")[0]).not.toMatch(/^(root|0)$/);
  });

  it("starts the CLI of the repository, with a real command, on the port the manifests use", () => {
    const entrypoint = JSON.parse(/^ENTRYPOINT (.+)$/m.exec(text)![1]!) as string[];
    expect(entrypoint).toEqual(["node", "services/cli/bin/aidtrail.js"]);
    expect(existsSync(path.join(root, entrypoint[1]!))).toBe(true);
    const cmd = JSON.parse(/^CMD (.+)$/m.exec(text)![1]!) as string[];
    for (const c of cmd) expect(CLI_COMMANDS).toContain(c);
    expect(/^EXPOSE (\d+)$/m.exec(text)?.[1]).toBe("3000");
    expect(text).toMatch(/AIDTRAIL_PORT=3000\b/);
    expect(text).toMatch(/AIDTRAIL_HOST=0\.0\.0\.0\b/);
  });
});
