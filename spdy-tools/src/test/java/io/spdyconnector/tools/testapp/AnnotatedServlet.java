package io.spdyconnector.tools.testapp;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** A servlet known only by its annotation, in a webapp without web.xml: the container must scan for it. */
@WebServlet("/annotated")
public class AnnotatedServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        resp.getWriter().write("found by its annotation on " + req.getAttribute("io.spdyconnector.version"));
    }
}
