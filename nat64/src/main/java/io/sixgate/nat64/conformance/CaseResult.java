package io.sixgate.nat64.conformance;

/**
 * The outcome of one conformance case.
 *
 * @param testCase the case.
 * @param passed   whether exactly the expected packets were emitted on the receiver port.
 * @param detail   for a failure, a short byte diff ({@code offset: expected vs got}) or what
 *                 went wrong; empty for a pass.
 */
public record CaseResult(ConformanceCase testCase, boolean passed, String detail)
{
    public String id()
    {
        return testCase.id();
    }
}
