/**
 * Direct dependencies declared in pyproject.toml, by group: PEP 621 `[project]`
 * (dependencies = prod, optional-dependencies = prod extras), PEP 735 `[dependency-groups]`
 * (dev), and Poetry's `[tool.poetry.dependencies]` / `[tool.poetry.group.<g>.dependencies]` /
 * legacy `[tool.poetry.dev-dependencies]`. Used where a lockfile has no dev flag of its own.
 */
import { normalizePypiName } from './names.js';
import { isTable, str, strings, type Table } from './values.js';

export interface DeclaredDep {
  name: string;
  extras: string[];
  dev: boolean;
}

const PEP508_HEAD = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?/;

export function parsePep508Head(spec: string): { name: string; extras: string[] } | undefined {
  const m = PEP508_HEAD.exec(spec);
  if (!m || m[1] === undefined) return undefined;
  const extras = (m[2] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return { name: normalizePypiName(m[1]), extras };
}

function fromPep508List(list: unknown, dev: boolean): DeclaredDep[] {
  const out: DeclaredDep[] = [];
  for (const s of strings(list)) {
    const head = parsePep508Head(s);
    if (head) out.push({ ...head, dev });
  }
  return out;
}

function fromPoetryTable(t: unknown, dev: boolean): DeclaredDep[] {
  if (!isTable(t)) return [];
  const out: DeclaredDep[] = [];
  for (const [key, v] of Object.entries(t)) {
    if (key.toLowerCase() === 'python') continue;
    const extras = isTable(v) ? strings(v.extras) : [];
    out.push({ name: normalizePypiName(key), extras, dev });
  }
  return out;
}

export function declaredDependencies(pyproject: Table): DeclaredDep[] {
  const project = isTable(pyproject.project) ? pyproject.project : {};
  const out = fromPep508List(project.dependencies, false);
  if (isTable(project['optional-dependencies'])) {
    for (const list of Object.values(project['optional-dependencies'])) out.push(...fromPep508List(list, false));
  }
  if (isTable(pyproject['dependency-groups'])) {
    for (const list of Object.values(pyproject['dependency-groups'])) out.push(...fromPep508List(list, true));
  }
  const tool = isTable(pyproject.tool) ? pyproject.tool : {};
  const poetry = isTable(tool.poetry) ? tool.poetry : {};
  out.push(...fromPoetryTable(poetry.dependencies, false), ...fromPoetryTable(poetry['dev-dependencies'], true));
  if (isTable(poetry.group)) {
    for (const [g, def] of Object.entries(poetry.group)) {
      if (isTable(def)) out.push(...fromPoetryTable(def.dependencies, g !== 'main'));
    }
  }
  return out;
}

export function projectName(pyproject: Table | undefined): string | undefined {
  if (!pyproject) return undefined;
  const project = isTable(pyproject.project) ? pyproject.project : undefined;
  const tool = isTable(pyproject.tool) && isTable(pyproject.tool.poetry) ? pyproject.tool.poetry : undefined;
  const name = str(project?.name) ?? str(tool?.name);
  return name === undefined ? undefined : normalizePypiName(name);
}
