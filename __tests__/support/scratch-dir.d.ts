export declare function scratchDirectory(): string;
export declare function useScratchDirectory(): string;
