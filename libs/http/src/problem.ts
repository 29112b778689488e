/** RFC 9457 problem details; `type` names the kind of problem, extensions carry its specifics. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

export interface ProblemDetails extends Problem {
  instance: string;
  requestId: string;
}

/** An error whose response carries headers besides the problem (e.g. WWW-Authenticate). */
export interface ErrorWithHeaders {
  readonly responseHeaders: Record<string, string>;
}

/** Turns the errors a feature knows into problems; undefined for errors it does not know. */
export type ProblemMapper = (error: unknown) => Problem | undefined;

/** The service's namespace of problem types (`urn:problem:orders:<slug>`): part of the API contract. */
const PROBLEM_TYPE_PREFIX = 'urn:problem:orders:';

export const problem = (
  status: number,
  slug: string,
  title: string,
  detail: string,
  extensions: object = {},
): Problem => ({ type: `${PROBLEM_TYPE_PREFIX}${slug}`, title, status, detail, ...extensions });
