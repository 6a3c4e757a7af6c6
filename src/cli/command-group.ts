import type { Command } from 'commander';

/** A top-level group (`report`, `simulate`) that several command files add subcommands to. */
export function commandGroup(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}
