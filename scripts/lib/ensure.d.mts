export interface SystemPackage {
  command: string;
  apt: string;
}
export const ROOT: string;
export const MEDIA_PACKAGES: SystemPackage[];
export function run(cmd: string, args: string[], options?: object): void;
export function ensureNodeModules(): void;
export function missingSystemPackages(packages: SystemPackage[]): string[];
export function ensureSystemPackages(packages: SystemPackage[], options?: { canInstall?: boolean }): void;
export function ensureWebBuild(): void;
