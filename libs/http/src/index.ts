export { answerClientErrorsWithProblems } from './client-error.handler';
export { HttpEdgeModule } from './http-edge.module';
export { problem, type ErrorWithHeaders, type Problem, type ProblemDetails, type ProblemMapper } from './problem';
export { genericProblem, ProblemMappers } from './problem-details.filter';
export { FieldErrorSchema, ProblemSchema } from './problem.schema';
export { RequestValidationError, type FieldError } from './request-validation.error';
export { createValidationPipe } from './validation.pipe';
