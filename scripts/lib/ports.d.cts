export declare function portAnswers(
  port: number,
  host?: string,
  timeoutMs?: number
): Promise<boolean>
export declare function freePort(): Promise<number>
