// The rule codes the server reports (Diagnostic.code) and accepts in `dockerfile.rules`.
// package.json repeats them in the `dockerfileLsp.rules` schema; test/packageJson.test.ts
// keeps the two lists identical.

export const SEVERITIES = ['off', 'hint', 'info', 'warning', 'error'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

/** BuildKit's build checks (https://docs.docker.com/reference/build-checks/). */
export const BUILDKIT_RULES = [
  'StageNameCasing',
  'FromAsCasing',
  'NoEmptyContinuation',
  'ConsistentInstructionCasing',
  'DuplicateStageName',
  'ReservedStageName',
  'JSONArgsRecommended',
  'MaintainerDeprecated',
  'UndefinedArgInFrom',
  'WorkdirRelativePath',
  'UndefinedVar',
  'MultipleInstructionsDisallowed',
  'LegacyKeyValueFormat',
  'InvalidBaseImagePlatform',
  'RedundantTargetPlatform',
  'SecretsUsedInArgOrEnv',
  'InvalidDefaultArgInFrom',
  'FromPlatformFlagConstDisallowed',
  'CopyIgnoredFile',
  'InvalidDefinitionDescription',
  'ExposeProtoCasing',
  'ExposeInvalidFormat',
] as const;

/** Rules of dockerfile-lsp's own (mostly about the build cache). */
export const OWN_RULES = [
  'CopyBeforeDependencyInstall',
  'AptUpdateAlone',
  'RemoteAddWithoutChecksum',
  'UnpinnedBaseImage',
  'SecretInBuildArg',
] as const;

export const RULE_CODES: readonly string[] = [...BUILDKIT_RULES, ...OWN_RULES];
