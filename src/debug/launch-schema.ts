// The launch attributes of the `armvirt` debug type, read from the one place that declares them:
// package.json `contributes.debuggers[0].configurationAttributes.launch` (which VS Code also uses
// for IntelliSense in launch.json). The adapter (session.ts) and the extension's configuration
// check (src/extension/config.ts) validate against these rows, so README, package.json and the
// validators cannot drift: a new attribute is one new property in package.json (plus its README
// row; test/unit/debug/launch-schema.test.ts checks the README table lists every attribute).
import pkg from '../../package.json';

export interface AttributeSchema {
  name: string;
  type: 'string' | 'boolean' | 'integer' | 'number' | 'array' | 'object';
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  description: string;
}

interface JsonSchemaProperty { type: AttributeSchema['type']; enum?: unknown[]; minimum?: number; maximum?: number; description?: string }

const launch = (pkg.contributes.debuggers.find((d) => d.type === 'armvirt') ?? pkg.contributes.debuggers[0])
  .configurationAttributes.launch as unknown as { required?: string[]; properties: Record<string, JsonSchemaProperty> };

/** One row per launch attribute, in package.json order. */
export const LAUNCH_ATTRIBUTES: readonly AttributeSchema[] = Object.entries(launch.properties).map(([name, p]) => ({
  name, type: p.type, enum: p.enum, minimum: p.minimum, maximum: p.maximum, description: p.description ?? '',
}));

/** Attributes that must be present (package.json `required`). */
export const REQUIRED_LAUNCH_ATTRIBUTES: readonly string[] = launch.required ?? [];

/**
 * Attributes VS Code itself puts into every launch request (and a few debug-configuration keys
 * it understands): accepted without comment. Anything else unknown is accepted with a warning,
 * since other tools may add their own.
 */
export const CLIENT_ATTRIBUTES = new Set([
  'type', 'request', 'name', 'debugServer', 'preLaunchTask', 'postDebugTask', 'internalConsoleOptions',
  'presentation', 'noDebug', 'suppressMultipleSessionWarning', 'linux', 'osx', 'windows',
]);

const show = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v) ?? String(v));

/** Why `value` is not a valid `a` (a message naming the attribute), or undefined. */
export function checkAttribute(a: AttributeSchema, value: unknown): string | undefined {
  const name = `"${a.name}"`;
  if (a.enum) {
    return a.enum.includes(value) ? undefined : `${name} must be one of ${a.enum.map(show).join(', ')} (got ${show(value)})`;
  }
  switch (a.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${name} must be true or false (got ${show(value)})`;
    case 'string':
      return typeof value === 'string' ? undefined : `${name} must be a string (got ${show(value)})`;
    case 'integer':
    case 'number': {
      const ok = typeof value === 'number' && (a.type === 'integer' ? Number.isSafeInteger(value) : Number.isFinite(value))
        && (a.minimum === undefined || value >= a.minimum) && (a.maximum === undefined || value <= a.maximum);
      if (ok) return undefined;
      const what = a.type === 'integer' ? 'an integer' : 'a number';
      const range = a.minimum !== undefined && a.maximum !== undefined ? ` from ${a.minimum} to ${a.maximum}`
        : a.minimum !== undefined ? ` from ${a.minimum} upwards` : a.maximum !== undefined ? ` up to ${a.maximum}` : '';
      return `${name} must be ${what}${range} (got ${show(value)})`;
    }
    case 'array':
      return Array.isArray(value) ? undefined : `${name} must be an array (got ${show(value)})`;
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? undefined : `${name} must be an object (got ${show(value)})`;
  }
}

export interface LaunchCheck {
  /** One message per invalid or missing attribute. */
  errors: string[];
  /** Attributes nobody declares (probably misspelt): named, not refused. */
  unknown: string[];
}

/** Checks every declared attribute present in `config` and the required ones; `skip` leaves some to the caller. */
export function checkLaunchAttributes(config: Record<string, unknown>, skip: readonly string[] = []): LaunchCheck {
  const errors: string[] = [];
  for (const name of REQUIRED_LAUNCH_ATTRIBUTES) {
    if (!skip.includes(name) && (config[name] === undefined || config[name] === null)) errors.push(`"${name}" is required`);
  }
  for (const a of LAUNCH_ATTRIBUTES) {
    if (skip.includes(a.name) || config[a.name] === undefined) continue;
    const bad = checkAttribute(a, config[a.name]);
    if (bad) errors.push(bad);
  }
  const known = new Set(LAUNCH_ATTRIBUTES.map((a) => a.name));
  const unknown = Object.keys(config).filter((k) => !known.has(k) && !CLIENT_ATTRIBUTES.has(k) && !k.startsWith('__'));
  return { errors, unknown };
}
