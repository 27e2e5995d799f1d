// What an import or export tells the admin besides its files: settings kept verbatim, passwords
// left out, command lines rebuilt. One line each, with the place (sequence and step path) first.

export type NoteLevel = 'info' | 'warning' | 'error';

export interface Note {
  level: NoteLevel;
  /** Where: a file, optionally followed by ` › group › step`. */
  where: string;
  message: string;
}

export class Report {
  readonly notes: Note[] = [];

  add(level: NoteLevel, where: string, message: string): void {
    this.notes.push({ level, where, message });
  }

  info(where: string, message: string): void {
    this.add('info', where, message);
  }

  warn(where: string, message: string): void {
    this.add('warning', where, message);
  }

  error(where: string, message: string): void {
    this.add('error', where, message);
  }

  get errors(): Note[] {
    return this.notes.filter((n) => n.level === 'error');
  }
}

/** One line per note, for terminals and the VS Code output channel. */
export function formatNotes(notes: readonly Note[]): string {
  return notes.map((n) => `${n.level}: ${n.where}: ${n.message}`).join('\n');
}
