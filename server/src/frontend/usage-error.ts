// A mistake in what the user asked for (no such file, a wrong option value), as opposed to a fault
// in the files themselves. Thrown by the pieces the front ends share; the CLI prints its message
// with the command's usage and exits 2, the debug adapter refuses the launch with its message.

export class UsageError extends Error {}
