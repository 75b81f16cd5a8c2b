/* generator.h — generator objects (generator.c): a suspended frame plus the protocol
 * (iteration, send, throw, close). Calling a function whose code has CO_GENERATOR
 * binds the arguments into a new frame and wraps it here without running it. */
#ifndef PYFRAMES_GENERATOR_H
#define PYFRAMES_GENERATOR_H

#include "frame.h"

/* A generator. [frame] is owned by the generator (NULL once it finished and was
 * released); while the generator runs, the frame is also linked on the frame stack
 * ([running] is true). [exc_state] is the exception being handled inside the
 * generator when it yielded in an except block (restored on resumption). */
typedef struct {
    Object ob;
    Frame *frame;
    Object *name;      /* str: __name__ */
    Object *qualname;  /* str: __qualname__ */
    bool running;
    Object *exc_state;
    Object *weaklist;
} GenObject;

#define GEN_CHECK(o) (TYPE(o) == &GeneratorType)

/* Wraps the bound, not yet started frame [f] (ownership passes to the generator).
 * Returns a new reference, or NULL (and frees [f]) on failure. */
Object *gen_new(Vm *vm, Frame *f);
/* Resumes [gen] sending [value] (borrowed; None for next()) or, when [throw_exc] is
 * non-NULL, raising it at the paused yield. Returns the yielded value with *returned
 * false, the return value with *returned true, or NULL with vm->exc set. */
Object *gen_send_ex(Vm *vm, Object *gen, Object *value, Object *throw_exc, bool *returned);

#endif
