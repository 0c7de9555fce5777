/** Expected outcomes are values; only programmer and infrastructure errors throw. */
export type Result<T, E> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });
export const err = <E>(error: E): { readonly ok: false; readonly error: E } => ({ ok: false, error });

/** A failure the caller is expected to handle, with a stable snake_case code. */
export interface DomainError<C extends string = string> {
  readonly code: C;
  readonly message: string;
}
