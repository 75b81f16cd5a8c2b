# pyframes — the single entry point. (Provisional core build; see README.)
CC ?= gcc
CFLAGS ?= -std=c11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter
LDLIBS = -lm
SRC := $(wildcard core/*.c)
OBJ := $(SRC:core/%.c=build/obj/%.o)

all: build/pyframes

build/pyframes: $(OBJ)
	$(CC) $(CFLAGS) -o $@ $(OBJ) $(LDLIBS)

build/obj/%.o: core/%.c $(wildcard core/*.h core/*.def) | build/obj
	$(CC) $(CFLAGS) -c -o $@ $<

build/obj:
	mkdir -p $@

clean:
	rm -rf build

.PHONY: all clean
