// Types of known-advisories.mjs (plain JavaScript: it runs before TypeScript is installed).
export interface KnownAdvisory {
  package: string;
  /** semver range of the affected versions */
  vulnerable: string;
  severity: 'high' | 'critical';
  ids: string[];
  summary: string;
}
export interface AdvisoryTable {
  about?: string;
  reviewed: string;
  advisories: KnownAdvisory[];
}
export interface NpmLsNode {
  version?: string;
  dependencies?: Record<string, NpmLsNode>;
}
export function loadAdvisoryTable(file: string): AdvisoryTable;
export function installedVersions(tree: NpmLsNode): Map<string, Set<string>>;
export function matchAdvisories(installed: Map<string, Set<string>>, advisories: KnownAdvisory[]): (KnownAdvisory & { version: string })[];
export function productionTree(cwd: string): NpmLsNode;
