// Byte units, one definition for all code. GiB = 2^30 bytes: what vLLM and PyTorch print as "GiB"
// and what the memory model's byte counts are converted with for display.
export const KiB = 2 ** 10;
export const MiB = 2 ** 20;
export const GiB = 2 ** 30;
