class Node:
    def __init__(self, name, next=None):
        self.name = name
        self.next = next
    def __del__(self):
        print("freed", self.name)

head = Node("n1", Node("n2", Node("n3")))
print("cut after n1")
head.next = None
print("drop head")
head = None
print("end")
