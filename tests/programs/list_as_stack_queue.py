stack = []
for i in range(3):
    stack.append(i)
while stack:
    print("pop", stack.pop())
queue = [1, 2, 3]
while queue:
    print("dequeue", queue.pop(0))
