namespace Conduit;
