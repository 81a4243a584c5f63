// Errors of the boot protocol (bad kernel Image header, bad DTB, a layout that does not fit
// in RAM): each message names the field or file at fault; the CLI reports them with exit code 2.
export class BootError extends Error {}
