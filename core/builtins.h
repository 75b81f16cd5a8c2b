/* builtins.h — the builtins module (builtins.c): the built-in functions, the iterator
 * types behind enumerate/zip/map/filter/reversed/iter, and the sys stream objects
 * (mod_sys.c) that print() writes to. */
#ifndef PYFRAMES_BUILTINS_H
#define PYFRAMES_BUILTINS_H

#include "vm.h"

/* sys.stdout / sys.stderr: write(s) goes to vm_write on [stream] (1 or 2). */
typedef struct {
    Object ob;
    int stream;
} StdStreamObject;

/* Creates the builtins module, stores it in vm->builtins_module / vm->builtins and
 * registers it in vm->modules. */
int builtins_init(Vm *vm);
/* Returns an iterator over a sequence that only has __getitem__ (indexes 0, 1, ...
 * until IndexError or StopIteration), as CPython's PySeqIter_New. */
Object *seqiter_new(Vm *vm, Object *seq);
/* Returns locals() of the executing frame: its namespace dict for module and class
 * bodies, else a new dict snapshot of the bound locals and cells (new reference). */
Object *builtins_locals(Vm *vm);
/* Creates a sys stream object for [stream] (1 stdout, 2 stderr). */
Object *stdstream_new(Vm *vm, int stream);

#endif
