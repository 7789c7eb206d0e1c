/**
 * The label of the devices wgprof opens for itself: the instrumentation leaves their errors to
 * open-device.ts's own listener, and Dawn's messages name them.
 */
export const WGPROF_DEVICE_LABEL = 'wgprof';
