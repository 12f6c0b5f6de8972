/**
 * Reads the dynamic symbol table of an ELF64 little-endian shared object (a Linux `.node` file) and tells
 * whether it defines a given global function, e.g. `napi_register_module_v1`, the entry of a Node-API module.
 */
import fs from 'node:fs';

const SHT_DYNSYM = 11;
const STT_FUNC = 2;
const STB_GLOBAL = 1;
const STB_WEAK = 2;

export function isElf(file: string): boolean {
  const head = Buffer.alloc(4);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 4, 0);
  } finally {
    fs.closeSync(fd);
  }
  return head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
}

/** The names of the functions the file defines and exports (global or weak, section index not 0). */
export function exportedFunctions(file: string): string[] {
  const elf = fs.readFileSync(file);
  if (!elf.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) throw new Error(`${file}: not ELF`);
  if (elf[4] !== 2 || elf[5] !== 1) throw new Error(`${file}: only ELF64 little-endian is read here`);
  const shoff = Number(elf.readBigUInt64LE(0x28));
  const shentsize = elf.readUInt16LE(0x3a);
  const shnum = elf.readUInt16LE(0x3c);
  const section = (i: number) => {
    const at = shoff + i * shentsize;
    return {
      type: elf.readUInt32LE(at + 4),
      offset: Number(elf.readBigUInt64LE(at + 0x18)),
      size: Number(elf.readBigUInt64LE(at + 0x20)),
      link: elf.readUInt32LE(at + 0x28),
      entsize: Number(elf.readBigUInt64LE(at + 0x38)),
    };
  };
  const names: string[] = [];
  for (let i = 0; i < shnum; i++) {
    const symtab = section(i);
    if (symtab.type !== SHT_DYNSYM) continue;
    const strtab = section(symtab.link);
    for (let at = symtab.offset; at + symtab.entsize <= symtab.offset + symtab.size; at += symtab.entsize) {
      const nameOffset = elf.readUInt32LE(at);
      const info = elf[at + 4] ?? 0;
      const shndx = elf.readUInt16LE(at + 6);
      const bind = info >> 4;
      if ((info & 0xf) !== STT_FUNC || shndx === 0 || (bind !== STB_GLOBAL && bind !== STB_WEAK)) continue;
      const start = strtab.offset + nameOffset;
      names.push(elf.toString('latin1', start, elf.indexOf(0, start)));
    }
  }
  return names;
}
