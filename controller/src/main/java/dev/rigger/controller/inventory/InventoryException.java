package dev.rigger.controller.inventory;

/** An inventory that cannot be used; the message names the file and the place in it. */
public class InventoryException extends Exception {
    public InventoryException(String message) {
        super(message);
    }
}
