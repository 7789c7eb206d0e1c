import type { BackendName, FeatureLevel } from './backend.js';

/** What a run ran on: enough to tell two machines' results apart. */
export interface DeviceInfo {
  readonly backend: BackendName;
  readonly featureLevel: FeatureLevel;
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly isFallbackAdapter: boolean;
  /** True only for the `null` backend: its kernels do no work, its figures mean nothing. */
  readonly noRealGpuWork: boolean;
  /** Every feature the adapter offers, sorted. */
  readonly adapterFeatures: readonly string[];
  /** The features the device was opened with, sorted. */
  readonly deviceFeatures: readonly string[];
  readonly timestamps: boolean;
  /** Whether Dawn's 64 us timestamp quantization was asked to be off. */
  readonly timestampQuantizationDisabled: boolean;
  readonly limits: Readonly<Record<ProfiledLimit, number>>;
}

/** The limits that bound what wgprof can run: buffer sizes and dispatch shape. */
export const PROFILED_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxUniformBufferBindingSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxComputeWorkgroupsPerDimension',
] as const;
export type ProfiledLimit = (typeof PROFILED_LIMITS)[number];

export function describeDevice(
  adapter: GPUAdapter,
  device: GPUDevice,
  attempt: { backend: BackendName; featureLevel: FeatureLevel },
  timestampQuantizationDisabled: boolean,
): DeviceInfo {
  const info = adapter.info;
  const limits = {} as Record<ProfiledLimit, number>;
  for (const name of PROFILED_LIMITS) limits[name] = device.limits[name];
  return {
    backend: attempt.backend,
    featureLevel: attempt.featureLevel,
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: info.isFallbackAdapter,
    noRealGpuWork: attempt.backend === 'null',
    adapterFeatures: [...adapter.features].sort(),
    deviceFeatures: [...device.features].sort(),
    timestamps: device.features.has('timestamp-query'),
    timestampQuantizationDisabled,
    limits,
  };
}

/** "mesa llvmpipe: Mesa 25.0.7 (vulkan, core)": one line naming the adapter. */
export function adapterLine(info: DeviceInfo): string {
  const name = info.description || info.device || 'unknown adapter';
  const vendor =
    info.vendor && !name.toLowerCase().includes(info.vendor.toLowerCase()) ? `${info.vendor} ` : '';
  return `${vendor}${name} (${info.backend}, ${info.featureLevel}${info.noRealGpuWork ? ', NO REAL GPU WORK' : ''})`;
}

/** A GPU that is the CPU (lavapipe, SwiftShader, WARP): its work shares the cores with wgprof's threads. */
export function isSoftwareGpu(device: DeviceInfo): boolean {
  return device.isFallbackAdapter || /llvmpipe|lavapipe|swiftshader|warp/i.test(device.description);
}
